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

    /// <summary>
    /// True to read a value a float cannot hold (<c>Infinity</c>, <c>-inf</c>, <c>1e309</c>, <c>3.5e38</c>) as a missing
    /// value (NaN, as <c>?</c>), filled as the model's <see cref="MissingValues"/> rule says. Defaults to false: such a
    /// value is a <see cref="DatasetFormatException"/> naming file, line and column, since it is more often a mistake
    /// (an export that overflowed) than a gap.
    /// </summary>
    public bool NonFiniteAsMissing { get; init; }
}
