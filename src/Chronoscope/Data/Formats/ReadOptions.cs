namespace Chronoscope.Data.Formats;

/// <summary>How a dataset file is read.</summary>
public sealed record ReadOptions
{
    /// <summary>The format; null (the default) detects it from the file's extension.</summary>
    public DatasetFormat? Format { get; init; }

    /// <summary>The dataset's name; null (the default) takes it from the file (<c>@problemName</c>, <c>@relation</c>) or its name.</summary>
    public string? Name { get; init; }

    /// <summary>What pads series shorter than the longest. Defaults to <see cref="PaddingValue.Zero"/>.</summary>
    public PaddingValue Padding { get; init; } = PaddingValue.Zero;
}
