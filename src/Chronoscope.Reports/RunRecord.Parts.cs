using System.Text.Json.Serialization;
using Chronoscope.Training;

namespace Chronoscope.Reports;

public sealed partial record RunRecord
{
    /// <summary>The data trained and validated on.</summary>
    /// <param name="Name">The dataset's name.</param>
    /// <param name="Origin">Where the files came from, e.g. <c>the library's embedded copy</c>, <c>files</c>.</param>
    /// <param name="TrainFile">The training file's full path; null for data that did not come from a file.</param>
    /// <param name="TestFile">The test file's full path; null when there was none.</param>
    /// <param name="Split">How training and validation were split, e.g. <c>official: train on TRAIN, validate on TEST</c>.</param>
    /// <param name="TrainCount">Training series.</param>
    /// <param name="ValidCount">Validation series.</param>
    /// <param name="Channels">C, channels per series.</param>
    /// <param name="Length">L, steps per series.</param>
    /// <param name="Classes">The class vocabulary, in the model's output order.</param>
    public sealed record DatasetPart(
        string Name, string Origin, string? TrainFile, string? TestFile, string Split,
        int TrainCount, int ValidCount, int Channels, int Length, IReadOnlyList<string> Classes)
    {
        /// <summary>The training file's SHA-256 (lowercase hex) when it was trained on; null before it was recorded.</summary>
        public string? TrainSha256 { get; init; }

        /// <summary>The test file's SHA-256 (lowercase hex) when it was trained on; null without one.</summary>
        public string? TestSha256 { get; init; }

        /// <summary>The SHA-256 of a file (lowercase hex), or null when there is no readable file there.</summary>
        public static string? Sha256Of(string? path)
        {
            if (path is null || FileKinds.NotAFile(path) is not null)
                return null;
            try
            {
                using var stream = File.OpenRead(path);
                return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>Every setting of the run, by its command-line name (<c>ranger</c>, <c>per-sample</c>, ...).</summary>
    public sealed record SettingsPart
    {
        /// <summary>Epochs asked for (fewer are trained when training stops early).</summary>
        public required int Epochs { get; init; }

        /// <summary>The peak learning rate of the schedule.</summary>
        public required double MaxLearningRate { get; init; }

        /// <summary>The schedule, in words.</summary>
        public required string Schedule { get; init; }

        public required int BatchSize { get; init; }

        public required int Seed { get; init; }

        /// <summary><c>official</c> (the files' own training and test parts) or <c>pooled</c> (a random split of all series).</summary>
        public required string Split { get; init; }

        /// <summary>The validation share of a pooled split; null for official.</summary>
        public double? ValidPercent { get; init; }

        /// <summary>The seed of a pooled split; null for official.</summary>
        public int? SplitSeed { get; init; }

        /// <summary><c>none</c>, <c>per-sample</c>, <c>per-channel</c> or <c>min-max</c>.</summary>
        public required string Normalization { get; init; }

        /// <summary>
        /// How series of different lengths reached one length, <c>pad</c> or <c>resample</c>; null in records written
        /// before it was recorded, which padded.
        /// </summary>
        public string? VariableLengths { get; init; }

        /// <summary><c>ranger</c>, <c>radam</c>, <c>adamw</c> or <c>adam</c>.</summary>
        public required string Optimizer { get; init; }

        /// <summary><c>label-smoothing</c> or <c>cross-entropy</c>.</summary>
        public required string Loss { get; init; }

        /// <summary>
        /// The precision the network trained in, <c>fp32</c> or <c>bf16</c> (<c>auto</c> decided); null in records
        /// written before it was recorded, which trained in fp32.
        /// </summary>
        public string? Precision { get; init; }

        /// <summary><c>auto</c>, <c>always</c> or <c>never</c> (the command line's <c>--bn-calibration</c>).</summary>
        [JsonPropertyName("bn_calibration")]
        public required string BatchNormCalibration { get; init; }

        /// <summary><c>fastai</c> or <c>paper</c>.</summary>
        public required string Variant { get; init; }

        public required int Depth { get; init; }

        public required int Filters { get; init; }

        public required IReadOnlyList<int> KernelSizes { get; init; }

        public required int Bottleneck { get; init; }

        /// <summary>The validation metrics, in the order of the table's columns.</summary>
        public required IReadOnlyList<string> Metrics { get; init; }

        /// <summary>Early stopping, or null when every epoch was to be trained.</summary>
        public EarlyStoppingPart? EarlyStopping { get; init; }

        /// <summary>Threads libtorch computed with.</summary>
        public required int Threads { get; init; }

        /// <summary>
        /// Whether glibc's heap was on transparent huge pages (<see cref="TorchRuntime.RestartWithHugePages"/>), which
        /// makes training faster where the system gives them only on request. Null in records written before it was kept.
        /// </summary>
        public bool? HugePages { get; init; }

        /// <summary>
        /// Whether tensors' large blocks were kept by size class for reuse (libtorch's CPU allocator replaced by
        /// <see cref="TorchRuntime.TuneAllocator"/>), which holds the run's resident memory to about what lives at once.
        /// Null in records written before it was kept.
        /// </summary>
        public bool? CachedTensorBlocks { get; init; }
    }

    /// <summary>Early stopping: how many epochs without improvement of <paramref name="Monitor"/> ended training.</summary>
    /// <param name="Patience">Epochs without improvement before stopping.</param>
    /// <param name="Monitor">The watched column, e.g. <c>valid_loss</c>.</param>
    public sealed record EarlyStoppingPart(int Patience, string Monitor);

    /// <summary>An ensemble's networks: how many, their seeds, each one's final validation metrics, and the ensemble's (its mean softmax).</summary>
    /// <param name="Members">Networks in the model file.</param>
    /// <param name="Seeds">The seed of each, in order.</param>
    /// <param name="MemberMetrics">Each network's last validation metrics on its own.</param>
    /// <param name="MemberValidLosses">Each network's last validation loss on its own.</param>
    public sealed record EnsemblePart(int Members, IReadOnlyList<int> Seeds, IReadOnlyList<IReadOnlyDictionary<string, double>> MemberMetrics, IReadOnlyList<double> MemberValidLosses);

    /// <summary>The model file (relative to the record's folder) and its parameter count.</summary>
    public sealed record ModelPart(string File, long Parameters);

    /// <summary>One row of the epoch table.</summary>
    /// <param name="Epoch">The epoch, from 0.</param>
    /// <param name="TrainLoss">The smoothed training loss at the epoch's end.</param>
    /// <param name="ValidLoss">The validation loss.</param>
    /// <param name="Metrics">The validation metrics by name.</param>
    /// <param name="Seconds">How long the epoch took.</param>
    public sealed record EpochPart(int Epoch, double TrainLoss, double ValidLoss, IReadOnlyDictionary<string, double> Metrics, double Seconds);

    /// <summary>The last epoch's numbers (the saved model's), and why training ended early, if it did.</summary>
    public sealed record FinalPart(int EpochsTrained, string? StopReason, double TrainLoss, double ValidLoss, IReadOnlyDictionary<string, double> Metrics);

    /// <summary>A confusion matrix: <c>Counts[actual][predicted]</c>, written a row to a line.</summary>
    public sealed record ConfusionPart(IReadOnlyList<string> Classes, [property: JsonConverter(typeof(MatrixRowsConverter))] long[][] Counts);

    /// <summary>Seconds spent loading the data, training, saving, and in all.</summary>
    public sealed record TimingsPart(double LoadSeconds, double FitSeconds, double SaveSeconds, double TotalSeconds);

    /// <summary>What <see cref="Recorder"/> kept of each training batch, for the loss and schedule curves.</summary>
    /// <param name="Losses">Each batch's loss.</param>
    /// <param name="SmoothedLosses">The smoothed training loss after each batch (what fastai's loss curve draws).</param>
    /// <param name="LearningRates">Each batch's learning rate.</param>
    /// <param name="Momentums">Each batch's momentum (Adam's beta1).</param>
    /// <param name="EpochEndIterations">The batches done when each epoch was validated.</param>
    public sealed record HistoryPart(
        IReadOnlyList<double> Losses, IReadOnlyList<double> SmoothedLosses, IReadOnlyList<double> LearningRates,
        IReadOnlyList<double> Momentums, IReadOnlyList<int> EpochEndIterations);
}
