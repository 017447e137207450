using System.Globalization;
using Chronoscope.Data.Formats;
using TorchSharp;

namespace Chronoscope.Data;

/// <summary>
/// The training and validation loaders of one dataset, with the class vocabulary and the normalization fitted on the
/// training part. Made from a TRAIN/TEST pair (the archive's official split, which published accuracies use) or from
/// pooled files split at random (what fastai's <c>TSDataLoaders.from_files</c> does).
/// </summary>
public sealed class DataLoaders : IDisposable
{
    private DataLoaders(string name, DataLoader train, DataLoader valid, IReadOnlyList<string> classes, Normalizer normalizer, DataLoadersOptions options, string split, bool isRandomSplit)
    {
        Name = name;
        Split = split;
        IsRandomSplit = isRandomSplit;
        Train = train;
        Valid = valid;
        Classes = classes;
        Normalizer = normalizer;
        Options = options;
    }

    /// <summary>The dataset's name.</summary>
    public string Name { get; }

    /// <summary>How training and validation were split, for reports: e.g. <c>pooled, 20% random validation (seed 42)</c>.</summary>
    public string Split { get; }

    /// <summary>
    /// True when validation is a random share of pooled series (<see cref="FromFiles"/>, <see cref="RandomSplit"/>,
    /// drawn with <see cref="DataLoadersOptions.ValidPercent"/> and <see cref="DataLoadersOptions.SplitSeed"/>); false
    /// for a given training and validation pair (<see cref="FromTrainTest"/>, <see cref="FromDatasets"/>).
    /// </summary>
    public bool IsRandomSplit { get; }

    /// <summary>Shuffled batches for training.</summary>
    public DataLoader Train { get; }

    /// <summary>Batches in order for validation.</summary>
    public DataLoader Valid { get; }

    /// <summary>The class vocabulary; a model's output i is class <c>Classes[i]</c>.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>
    /// Classes declared by a header or present in the validation data that no training series has: the model can
    /// never learn to predict them. Empty for a sound split; callers should warn.
    /// </summary>
    public IReadOnlyList<string> ClassesWithoutTrainingSeries { get; private init; } = [];

    /// <summary>True when series of different lengths were resampled to <see cref="Length"/> (<see cref="VariableLengths.Resample"/>).</summary>
    internal bool Resampled { get; private init; }

    /// <summary>The scaling fitted on the training part, applied to every part and to new data.</summary>
    public Normalizer Normalizer { get; }

    /// <summary>The options these loaders were made with.</summary>
    public DataLoadersOptions Options { get; }

    /// <summary>C, channels per series.</summary>
    public int Channels => Train.Dataset.Channels;

    /// <summary>L, steps per series.</summary>
    public int Length => Train.Dataset.Length;

    /// <summary>
    /// fastai's <c>TSDataLoaders.from_files</c>: reads every file, pools the series (e.g. TRAIN and TEST) and splits them
    /// at random (see <see cref="RandomSplit"/>). This is the reference tutorial's protocol, not the archive's.
    /// </summary>
    public static DataLoaders FromFiles(IReadOnlyList<string> paths, DataLoadersOptions? options = null, ReadOptions? read = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
            throw new ArgumentException("expected at least one file", nameof(paths));
        var parts = paths.Select(p => DatasetReader.Read(p, read)).ToList();
        return RandomSplit(TimeSeriesDataset.Concatenate(parts[0].Name, parts, read?.Padding ?? PaddingValue.Zero), options);
    }

    /// <summary>The archive's official split: train on the TRAIN file, validate on the TEST file (the protocol of published accuracies).</summary>
    public static DataLoaders FromTrainTest(string trainPath, string testPath, DataLoadersOptions? options = null, ReadOptions? read = null) =>
        FromDatasets(DatasetReader.Read(trainPath, read), DatasetReader.Read(testPath, read), options);

    /// <summary>Loaders over a given training and validation set (e.g. the archive's TRAIN and TEST files).</summary>
    public static DataLoaders FromDatasets(TimeSeriesDataset train, TimeSeriesDataset valid, DataLoadersOptions? options = null) =>
        Create(train, valid, options, "official: train on TRAIN, validate on TEST", isRandomSplit: false);

    private static DataLoaders Create(TimeSeriesDataset train, TimeSeriesDataset valid, DataLoadersOptions? options, string split, bool isRandomSplit)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(valid);
        options ??= new DataLoadersOptions();
        Validate(options);
        train.CheckCompatible(valid);
        if (train.Labels is null)
            throw new ArgumentException($"the training set {train.Name} has no labels", nameof(train));
        var resample = options.VariableLengths == VariableLengths.Resample && (valid.Length != train.Length || !train.IsEqualLength || !valid.IsEqualLength);
        if (resample)
        {
            var length = Math.Max(train.Length, valid.Length);
            train = train.Resample(length);
            valid = valid.Resample(length);
        }
        else if (valid.Length != train.Length)
        {
            // Variable-length data: both parts padded to the longer one.
            var padded = TimeSeriesDataset.Concatenate(train.Name, [train, valid]);
            train = padded.Subset([.. Enumerable.Range(0, train.Count)]);
            valid = padded.Subset([.. Enumerable.Range(train.Count, valid.Count)]);
        }

        var classes = ClassVocabulary.Sort(train.Classes.Concat(valid.Classes));
        var trained = train.Labels!.Distinct(StringComparer.Ordinal).ToList();
        var untrained = classes.Where(c => !trained.Contains(c, StringComparer.Ordinal)).ToList();
        var normalizer = Normalizer.Fit(options.Normalization, train);
        DataLoader? trainLoader = null;
        try
        {
            trainLoader = new DataLoader(train, normalizer.Prepare(train, options.MissingValues), classes,
                options.BatchSize ?? new Training.TrainingBudget().BatchSize(train.Count, train.Length, options.DropLast), shuffle: true, options.DropLast, options.ShuffleSeed);
            var validLoader = new DataLoader(valid, normalizer.Prepare(valid, options.MissingValues), classes,
                options.ValidBatchSize ?? options.BatchSize ?? AutoValidBatchSize, shuffle: false, dropLast: false, options.ShuffleSeed);
            return new DataLoaders(train.Name, trainLoader, validLoader, classes, normalizer, options, split, isRandomSplit) { ClassesWithoutTrainingSeries = untrained, Resampled = resample };
        }
        catch
        {
            trainLoader?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loaders over one pooled dataset split at random: a permutation seeded by <see cref="DataLoadersOptions.SplitSeed"/>,
    /// the first <see cref="DataLoadersOptions.ValidPercent"/> of it for validation, the rest for training (fastai's
    /// <c>RandomSplitter</c>: <c>torch.manual_seed(42); randperm(n)</c>).
    /// </summary>
    public static DataLoaders RandomSplit(TimeSeriesDataset pooled, DataLoadersOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        options ??= new DataLoadersOptions();
        Validate(options);
        var (trainIndices, validIndices) = SplitIndices(pooled.Count, options.ValidPercent, options.SplitSeed);
        return Create(pooled.Subset(trainIndices), pooled.Subset(validIndices), options,
            string.Create(CultureInfo.InvariantCulture, $"pooled: {options.ValidPercent * 100:0.#}% random validation (seed {options.SplitSeed})"), isRandomSplit: true);
    }

    /// <summary>The training and validation indices of a random split of <paramref name="count"/> series.</summary>
    public static (int[] Train, int[] Valid) SplitIndices(int count, double validPercent, int seed)
    {
        using var generator = new torch.Generator((ulong)seed);
        using var permutation = torch.randperm(count, generator: generator);
        var order = permutation.data<long>().Select(i => (int)i).ToArray();
        var cut = (int)(validPercent * count);
        return (order[cut..], order[..cut]);
    }

    /// <summary>
    /// A loader over new data (to predict or explain), prepared exactly as the training data: same normalization,
    /// same class vocabulary (a label outside it is an error), batches in order.
    /// </summary>
    public DataLoader CreateLoader(TimeSeriesDataset data, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        Train.Dataset.CheckCompatible(data);
        return DataLoader.ForInference(data, Normalizer, Options.MissingValues, Classes, batchSize ?? Valid.BatchSize);
    }

    /// <summary>
    /// Where the training batch size chosen when none is given starts: a quarter of the training series, at least 8 and
    /// at most 64 (<see cref="Training.TrainingBudget.BatchSize"/> makes it smaller for long series). Measured on the
    /// archive's small training sets (16 to 100 series): with one full batch per epoch the network takes one optimizer
    /// step per epoch and generalizes worse than with several noisier steps.
    /// </summary>
    public static int AutoBatchSize(int trainCount) => Math.Clamp(trainCount / 4, SmallestAutoBatchSize, 64);

    /// <summary>The smallest batch an automatic choice makes (<see cref="Training.TrainingBudget.BatchSize"/> included).</summary>
    internal const int SmallestAutoBatchSize = 8;

    private const int AutoValidBatchSize = 64;

    private static void Validate(DataLoadersOptions options)
    {
        if (options.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"BatchSize must be at least 1, found {options.BatchSize}");
        if (options.ValidBatchSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"ValidBatchSize must be at least 1, found {options.ValidBatchSize}");
        if (options.ValidPercent is <= 0 or >= 1 || double.IsNaN(options.ValidPercent))
            throw new ArgumentOutOfRangeException(nameof(options), $"ValidPercent must be between 0 and 1 (exclusive), found {options.ValidPercent}");
        if (!Enum.IsDefined(options.VariableLengths))
            throw new ArgumentOutOfRangeException(nameof(options), $"VariableLengths must be Pad or Resample, found {options.VariableLengths}");
    }

    public void Dispose()
    {
        Train.Dispose();
        Valid.Dispose();
    }
}
