using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chronoscope.Cli.Output;

/// <summary>
/// <c>metrics.json</c> of a training run: how it was run (command line, settings, data), what it gave (the epoch table,
/// the final metrics and confusion matrix), what the learner noted, and how long each part took. Property names are
/// snake_case, as the epoch table's columns.
/// </summary>
internal sealed record RunReport
{
    public required string ChronoscopeVersion { get; init; }

    public required string CommandLine { get; init; }

    public required DateTime CreatedUtc { get; init; }

    public required DatasetPart Dataset { get; init; }

    public required SettingsPart Settings { get; init; }

    public required ModelPart Model { get; init; }

    public required IReadOnlyList<EpochPart> Epochs { get; init; }

    public required FinalPart Final { get; init; }

    public required ConfusionPart ConfusionMatrix { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }

    public required TimingsPart Timings { get; init; }

    /// <summary>The data trained and validated on.</summary>
    public sealed record DatasetPart(
        string Name, string Origin, string TrainFile, string? TestFile, string Split,
        int TrainCount, int ValidCount, int Channels, int Length, IReadOnlyList<string> Classes);

    /// <summary>Every setting of the run, by its command-line name.</summary>
    public sealed record SettingsPart
    {
        public required int Epochs { get; init; }
        public required double MaxLearningRate { get; init; }
        public required string Schedule { get; init; }
        public required int BatchSize { get; init; }
        public required int Seed { get; init; }
        public required string Split { get; init; }
        public double? ValidPercent { get; init; }
        public int? SplitSeed { get; init; }
        public required string Normalization { get; init; }
        public required string Optimizer { get; init; }
        public required string Loss { get; init; }
        public required string BnCalibration { get; init; }
        public required string Variant { get; init; }
        public required int Depth { get; init; }
        public required int Filters { get; init; }
        public required IReadOnlyList<int> KernelSizes { get; init; }
        public required int Bottleneck { get; init; }
        public required IReadOnlyList<string> Metrics { get; init; }
        public EarlyStoppingPart? EarlyStopping { get; init; }
        public required int Threads { get; init; }
    }

    public sealed record EarlyStoppingPart(int Patience, string Monitor);

    /// <summary>The model file and its size.</summary>
    public sealed record ModelPart(string File, long Parameters);

    /// <summary>One row of the epoch table.</summary>
    public sealed record EpochPart(int Epoch, double TrainLoss, double ValidLoss, IReadOnlyDictionary<string, double> Metrics, double Seconds);

    /// <summary>The last epoch's numbers (the saved model's), and why training ended early, if it did.</summary>
    public sealed record FinalPart(int EpochsTrained, string? StopReason, double TrainLoss, double ValidLoss, IReadOnlyDictionary<string, double> Metrics);

    /// <summary>The last validation's counts: <c>counts[actual][predicted]</c>.</summary>
    public sealed record ConfusionPart(IReadOnlyList<string> Classes, long[][] Counts);

    public sealed record TimingsPart(double LoadSeconds, double FitSeconds, double SaveSeconds, double TotalSeconds);

    /// <summary>Indented snake_case JSON; NaN (a metric without data) as the literal NaN.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, not HTML: '+' and '\'' as themselves
    };

    /// <summary>Writes the report to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");
}
