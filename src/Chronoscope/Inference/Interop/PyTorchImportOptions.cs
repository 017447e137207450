using Chronoscope.Data;

namespace Chronoscope.Inference.Interop;

/// <summary>
/// What to import from a PyTorch <c>state_dict</c> and what the weights do not say. A value given here wins over the
/// JSON beside the weights (see <see cref="MetadataPath"/>); the network's shape always comes from the weights.
/// </summary>
public sealed record PyTorchImportOptions
{
    /// <summary>The key layout of the weights. Defaults to <see cref="PyTorchArchitecture.Fastai"/>, the reference's network.</summary>
    public PyTorchArchitecture Architecture { get; init; } = PyTorchArchitecture.Fastai;

    /// <summary>The input channels the weights must have; null accepts what they have. Defaults to null.</summary>
    public int? Channels { get; init; }

    /// <summary>The number of classes the weights must output; null accepts what they have. Defaults to null.</summary>
    public int? ClassCount { get; init; }

    /// <summary>Class names in output order; null takes them from the JSON, else "0", "1", ... Defaults to null.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The series length of the training data; null takes it from the JSON (it must be known). Defaults to null.</summary>
    public int? SeriesLength { get; init; }

    /// <summary>The input scaling the network was trained with; null takes it from the JSON, else none (with a warning). Defaults to null.</summary>
    public Normalizer? Normalizer { get; init; }

    /// <summary>How missing values in new data are filled; null takes it from the JSON, else Interpolate, as training's default.</summary>
    public MissingValues? MissingValues { get; init; }

    /// <summary>The JSON with classes, normalization and length; null for the file beside the weights with extension .json (used when present).</summary>
    public string? MetadataPath { get; init; }

    /// <summary>The name the imported model gives its data; null takes the JSON's, else the weights' file name.</summary>
    public string? DatasetName { get; init; }
}
