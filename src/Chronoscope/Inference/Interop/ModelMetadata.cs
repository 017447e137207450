using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chronoscope.Inference.Interop;

/// <summary>
/// The small JSON written beside exported weights and read beside imported ones (<c>model.pt</c> → <c>model.json</c>):
/// what the weights alone do not say. Every field is optional on import; a hand-written file may hold just
/// <c>{"classes": ["Gun", "Point"], "normalization": {"kind": "PerChannel", "offsets": [..], "scales": [..]}}</c>.
/// </summary>
internal sealed record ModelMetadata
{
    public const string CurrentFormat = "chronoscope-state-dict/1";

    /// <summary>Which file this is.</summary>
    public string? Format { get; init; }

    /// <summary>The key layout of the weights: fastai, tsai or paper.</summary>
    public string? Architecture { get; init; }

    /// <summary>The network's shape (informative: the weights' shapes decide).</summary>
    public NetworkShape? Network { get; init; }

    public int? InputChannels { get; init; }

    /// <summary>The series length of the training data.</summary>
    public int? SeriesLength { get; init; }

    /// <summary>Output k of the network is class <c>Classes[k]</c>.</summary>
    public string[]? Classes { get; init; }

    /// <summary>The scaling every input gets before the network sees it.</summary>
    public NormalizationStatistics? Normalization { get; init; }

    /// <summary>How missing values are filled: Interpolate, Zero or Fail.</summary>
    public string? MissingValues { get; init; }

    /// <summary>How inputs of other lengths are brought to the network: Pad (as they are) or Resample (to <see cref="SeriesLength"/>).</summary>
    public string? VariableLengths { get; init; }

    public string? Dataset { get; init; }

    internal sealed record NetworkShape
    {
        public string? Variant { get; init; }
        public int Depth { get; init; }
        public int Filters { get; init; }
        public int[] KernelSizes { get; init; } = [];
        public int BottleneckSize { get; init; }
    }

    /// <summary>Kind None, PerSample, PerChannel (offsets = means, scales = standard deviations) or MinMax (offsets = minima, scales = ranges); x' = (x − offset) / scale per channel.</summary>
    internal sealed record NormalizationStatistics
    {
        public string Kind { get; init; } = "";
        public float[] Offsets { get; init; } = [];
        public float[] Scales { get; init; } = [];
    }

    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The JSON beside <paramref name="weightsPath"/>: same folder and name, extension .json.</summary>
    public static string PathBeside(string weightsPath) => Path.ChangeExtension(weightsPath, ".json");

    public static ModelMetadata? ReadIfPresent(string path)
    {
        if (FileKinds.Of(path) == FileKind.Missing)
            return null;
        if (FileKinds.NotAFile(path) is { } problem)
            throw new ModelInteropException(path, problem);
        try
        {
            return JsonSerializer.Deserialize<ModelMetadata>(File.ReadAllBytes(path), Json)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new ModelInteropException(path, $"unreadable metadata JSON: {e.Message}", e);
        }
    }
}
