using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Chronoscope.Training;

namespace Chronoscope.Reports;

/// <summary>
/// What a training run was and what it gave, as <c>chronoscope train</c> writes it to <c>metrics.json</c>: how it was
/// run (command line, settings, data), the epoch table, the final metrics and confusion matrix, what the learner
/// noted, how long each part took, and the per-batch history of losses, learning rates and momentums (for the curves
/// of a report). Property names in the file are snake_case, as the epoch table's columns.
/// <code>
/// var fit = learner.FitOneCycle(25, 1e-3);
/// var run = RunRecord.Create(learner, fit, new RunDescription { DatasetName = "GunPoint" });
/// run.Save("metrics.json");
/// </code>
/// </summary>
public sealed partial record RunRecord
{
    /// <summary>The library version that trained, e.g. <c>1.0.0+abc123</c>.</summary>
    public required string ChronoscopeVersion { get; init; }

    /// <summary>The command line that started the run; empty for a run started from code.</summary>
    public required string CommandLine { get; init; }

    /// <summary>When the record was made (UTC).</summary>
    public required DateTime CreatedUtc { get; init; }

    /// <summary>The data trained and validated on.</summary>
    public required DatasetPart Dataset { get; init; }

    /// <summary>Every setting of the run, by its command-line name.</summary>
    public required SettingsPart Settings { get; init; }

    /// <summary>The model file and its size.</summary>
    public required ModelPart Model { get; init; }

    /// <summary>The epoch table, one row per epoch trained.</summary>
    public required IReadOnlyList<EpochPart> Epochs { get; init; }

    /// <summary>The last epoch's numbers (those of the saved model).</summary>
    public required FinalPart Final { get; init; }

    /// <summary>The last validation's confusion matrix.</summary>
    public required ConfusionPart ConfusionMatrix { get; init; }

    /// <summary>What the learner noted (e.g. that BatchNorm statistics were recalibrated).</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>How long loading, training and saving took.</summary>
    public required TimingsPart Timings { get; init; }

    /// <summary>
    /// For an ensemble, its members; then <see cref="Final"/> and <see cref="ConfusionMatrix"/> are the ensemble's (its
    /// training loss and <see cref="Epochs"/> and <see cref="History"/> those of the last member). Null for one network.
    /// </summary>
    public EnsemblePart? Ensemble { get; init; }

    /// <summary>Per training batch: loss, smoothed loss, learning rate and momentum; null in files written before it was recorded.</summary>
    public HistoryPart? History { get; init; }

    /// <summary>
    /// The record of <paramref name="learner"/>'s last fit, which returned <paramref name="fit"/>: settings from the
    /// learner and its data, the epoch table and notes from the fit, the per-batch history from
    /// <see cref="Learner.Recorder"/>, and what only the caller knows (files, command line, timings) from
    /// <paramref name="description"/>. The command line and library code build it the same way.
    /// </summary>
    /// <exception cref="ArgumentException">The fit finished no epoch: there is nothing to record.</exception>
    public static RunRecord Create(Learner learner, FitResult fit, RunDescription? description = null)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(fit);
        description ??= new RunDescription();
        var last = fit.Last ?? throw new ArgumentException("the fit finished no epoch (it was cancelled before the first ended): there is nothing to record", nameof(fit));
        var data = learner.Data;
        var network = learner.Model.Options;
        var options = learner.Options;
        var recorder = learner.Recorder;
        var pooled = data.IsRandomSplit;
        var load = description.LoadTime.TotalSeconds;
        var save = description.SaveTime.TotalSeconds;
        return new RunRecord
        {
            ChronoscopeVersion = typeof(Learner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            CommandLine = description.CommandLine,
            CreatedUtc = description.CreatedUtc ?? DateTime.UtcNow,
            Dataset = new DatasetPart(description.DatasetName ?? data.Name, description.Origin, description.TrainFile, description.TestFile,
                data.Split, data.Train.Count, data.Valid.Count, data.Channels, data.Length, data.Classes)
            {
                TrainSha256 = DatasetPart.Sha256Of(description.TrainFile), // so that report can tell when the files changed
                TestSha256 = DatasetPart.Sha256Of(description.TestFile),
            },
            Settings = new SettingsPart
            {
                Epochs = description.RequestedEpochs ?? fit.Epochs.Count,
                MaxLearningRate = description.MaxLearningRate ?? learner.LastFit?.MaxLearningRate ?? double.NaN,
                Schedule = description.Schedule,
                BatchSize = data.Train.BatchSize,
                Seed = options.Seed,
                Split = pooled ? "pooled" : "official",
                ValidPercent = pooled ? data.Options.ValidPercent : null,
                SplitSeed = pooled ? data.Options.SplitSeed : null,
                Normalization = SettingNames.Of(data.Normalizer.Kind),
                VariableLengths = SettingNames.Of(data.VariableLengths),
                Optimizer = SettingNames.Of(options.Optimizer),
                Loss = SettingNames.Of(options.Loss),
                Precision = SettingNames.Of(learner.Precision),
                BatchNormCalibration = SettingNames.Of(options.BatchNormCalibration),
                Variant = SettingNames.Of(network.Variant),
                Depth = network.Depth,
                Filters = network.Filters,
                KernelSizes = [.. network.KernelSizes],
                Bottleneck = network.BottleneckSize,
                Metrics = [.. options.Metrics.Select(m => m.Name)],
                EarlyStopping = description.EarlyStopping,
                Threads = description.Threads ?? TorchRuntime.Threads,
                HugePages = TorchRuntime.HugePages,
                CachedTensorBlocks = TensorBlockCache.Installed,
            },
            Model = new ModelPart(description.ModelFile, learner.Model.ParameterCount),
            Epochs = [.. fit.Epochs.Select(e => new EpochPart(e.Epoch, e.TrainLoss, e.ValidLoss, e.Metrics.ToDictionary(), e.Duration.TotalSeconds))],
            Final = new FinalPart(fit.EpochsTrained, fit.StopReason, last.TrainLoss, last.ValidLoss, last.Metrics.ToDictionary()),
            ConfusionMatrix = new ConfusionPart(last.Confusion.Classes, last.Confusion.ToRows()),
            Notes = [.. SettingNames.Chosen(data), .. fit.Notes],
            Timings = new TimingsPart(load, fit.Duration.TotalSeconds, save,
                description.TotalTime?.TotalSeconds ?? load + fit.Duration.TotalSeconds + save),
            History = new HistoryPart([.. recorder.Losses], [.. recorder.SmoothedLosses], [.. recorder.LearningRates],
                [.. recorder.Momentums], [.. recorder.EpochEndIterations]),
        };
    }

    /// <summary>The record as indented snake_case JSON (a NaN metric as the string <c>"NaN"</c>), ending with a newline.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>Reads a record written by <see cref="Save"/> (or a <c>metrics.json</c> of <c>chronoscope train</c>).</summary>
    /// <exception cref="RunRecordException">The file is missing, is not JSON, or lacks a part; the message names the file and line.</exception>
    public static RunRecord Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Missing)
            throw new RunRecordException(path, null, "no such file; a training run writes it into its run folder.");
        if (kind != FileKind.Regular)
            throw new RunRecordException(path, null, $"expected a run record file, found {FileKinds.Describe(kind)}.");
        const long MaxLength = 256L << 20; // a record of a million epochs is far smaller
        if (new FileInfo(path).Length > MaxLength)
            throw new RunRecordException(path, null, $"expected a run record of at most 256 MB, found {new FileInfo(path).Length:N0} bytes.");
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunRecordException(path, null, $"cannot read: {IoErrors.Reason(e)}.", e);
        }
        catch (JsonException e)
        {
            // LineNumber is 0-based; a missing required part is reported at the end of the object that lacks it.
            throw new RunRecordException(path, e.LineNumber is { } line ? line + 1 : null, $"not a run record: {FirstSentence(e.Message)}", e);
        }
    }

    private static RunRecord Parse(string json, string path) =>
        JsonSerializer.Deserialize<RunRecord>(json, Json) ?? throw new RunRecordException(path, 1, "not a run record: the file holds null.");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }

    /// <summary>
    /// The JSON style of the files Chronoscope writes (run records, evaluations): indented snake_case, NaN as the string
    /// <c>"NaN"</c>, '+' and '\'' unescaped. Read-only.
    /// </summary>
    public static JsonSerializerOptions JsonOptions => Json;

    private static readonly JsonSerializerOptions Json = ReadOnly(new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, not HTML: '+' and '\'' as themselves
        RespectNullableAnnotations = true,
    });

    private static JsonSerializerOptions ReadOnly(JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
