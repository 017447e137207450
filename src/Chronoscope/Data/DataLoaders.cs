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

    /// <summary>
    /// How series of different lengths reach <see cref="Length"/>: <see cref="DataLoadersOptions.VariableLengths"/>, or
    /// where that is null the choice made from the training series (<see cref="VariableLengthsReason"/>).
    /// </summary>
    public VariableLengths VariableLengths { get; private init; }

    /// <summary>True when series of different lengths were resampled to <see cref="Length"/> (<see cref="VariableLengths.Resample"/>).</summary>
    internal bool Resampled { get; private init; }

    /// <summary>
    /// Where the training and validation series differ in length and are padded (<see cref="VariableLengths.Pad"/>): the
    /// part whose series were padded to the other's longer ones, to <see cref="Length"/>; else null.
    /// </summary>
    internal PaddedPart? PaddedPart { get; private init; }

    /// <summary>
    /// The scaling fitted on the training part, applied to every part and to new data: <see cref="DataLoadersOptions.Normalization"/>,
    /// or where that is null the choice made from the training series (<see cref="NormalizationReason"/>).
    /// </summary>
    public Normalizer Normalizer { get; }

    /// <summary>
    /// Why the normalization was chosen, when <see cref="DataLoadersOptions.Normalization"/> left it to the data (else
    /// null): e.g. "the training series' standard deviations span 5.8 orders of magnitude (7.41E-05 at the 5th
    /// percentile, 49.1 at the 95th)".
    /// </summary>
    public string? NormalizationReason { get; private init; }

    /// <summary>
    /// Why series of different lengths are padded or resampled, when <see cref="DataLoadersOptions.VariableLengths"/>
    /// left it to the data (else null): e.g. "the training series vary in length (7 to 26 steps)".
    /// </summary>
    public string? VariableLengthsReason { get; private init; }

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
        // Chosen from the training series as read (as 'datasets info' shows them), before any resampling.
        var (normalization, normalizationReason) = ChooseNormalization(options.Normalization, train);
        var (lengths, lengthsReason) = ChooseVariableLengths(options.VariableLengths, train);
        var resample = lengths == VariableLengths.Resample && (valid.Length != train.Length || !train.IsEqualLength || !valid.IsEqualLength);
        if (resample)
        {
            var length = Math.Max(train.Length, valid.Length);
            train = train.Resample(length);
            valid = valid.Resample(length);
        }
        PaddedPart? paddedPart = null;
        if (!resample && valid.Length != train.Length)
        {
            // Variable-length data: both parts padded to the longer one.
            paddedPart = PaddedPart.Of(train, valid);
            var padded = TimeSeriesDataset.Concatenate(train.Name, [train, valid]);
            train = padded.Subset([.. Enumerable.Range(0, train.Count)]);
            valid = padded.Subset([.. Enumerable.Range(train.Count, valid.Count)]);
        }

        var classes = ClassVocabulary.Sort(train.Classes.Concat(valid.Classes));
        var trained = train.Labels!.Distinct(StringComparer.Ordinal).ToList();
        var untrained = classes.Where(c => !trained.Contains(c, StringComparer.Ordinal)).ToList();
        var normalizer = Normalizer.Fit(normalization, train);
        DataLoader? trainLoader = null;
        try
        {
            trainLoader = new DataLoader(train, normalizer.Prepare(train, options.MissingValues), classes,
                options.BatchSize ?? new Training.TrainingBudget().BatchSize(train.Count, train.Length, options.DropLast), shuffle: true, options.DropLast, options.ShuffleSeed);
            var validLoader = new DataLoader(valid, normalizer.Prepare(valid, options.MissingValues), classes,
                options.ValidBatchSize ?? options.BatchSize ?? AutoValidBatchSize, shuffle: false, dropLast: false, options.ShuffleSeed);
            return new DataLoaders(train.Name, trainLoader, validLoader, classes, normalizer, options, split, isRandomSplit)
            {
                ClassesWithoutTrainingSeries = untrained,
                VariableLengths = lengths,
                Resampled = resample,
                PaddedPart = paddedPart,
                NormalizationReason = normalizationReason,
                VariableLengthsReason = lengthsReason,
            };
        }
        catch
        {
            trainLoader?.Dispose();
            throw;
        }
    }

    // The options' choice, or with none the one the training series call for, with the reason (null when given).
    private static (Normalization, string?) ChooseNormalization(Normalization? given, TimeSeriesDataset train)
    {
        if (given is { } normalization)
            return (normalization, null);
        if (SeriesScales.Spread(train) is not { } spread)
            return (Normalization.None, "fewer than two training series vary, so their scales cannot be compared");
        if (spread.IsWide)
            return (Normalization.PerSample, spread.Describe(train.Channels));
        if (MeanSeriesDeparture.Of(train) is { NearCopies: true } departure)
            return (Normalization.MeanSeries, departure.Describe(train.Channels));
        // Alike scales far from 1 (values of 1e30: the network's activations overflow float32, and it learns nothing).
        if (SeriesScales.MedianDeviation(train) is { } magnitude && (magnitude > FarFromUnit || magnitude < 1 / FarFromUnit))
        {
            return (Normalization.PerChannel, string.Create(CultureInfo.InvariantCulture,
                $"the training series' standard deviations are alike but far from 1 (median {magnitude:G3}): as read, the network's activations would overflow or vanish"));
        }
        return (Normalization.None, spread.Describe(train.Channels));
    }

    /// <summary>
    /// How far from 1 the typical series deviation may be for auto normalization to feed the values as read: a million,
    /// far beyond every archive set measured (z-normalized, 1; BasicMotions 0.145 to 11.9; PLAID is scaled per series first).
    /// </summary>
    private const double FarFromUnit = 1e6;

    // Resampled where the training series vary in length, judged by their own lengths (a pooled split's training part
    // keeps the pool's length), and at most half have the longest length: where most do, the few shorter ones are taken
    // as cut short (as when a delimited file's trailing NaNs are missing values at the end, not the end of a shorter
    // series) and padded, to stay aligned in time. The archive's variable-length sets are far from that (PLAID,
    // JapaneseVowels, PickupGestureWiimoteZ: half their series under a quarter, 0.6 and 0.4 of the longest).
    private static (VariableLengths, string?) ChooseVariableLengths(VariableLengths? given, TimeSeriesDataset train)
    {
        if (given is { } lengths)
            return (lengths, null);
        var (shortest, longest) = (train.Lengths.Min(), train.Lengths.Max());
        if (shortest == longest)
            return (VariableLengths.Pad, "the training series are of one length");
        var atLongest = train.Lengths.Count(n => n == longest);
        return 2 * atLongest <= train.Count
            ? (VariableLengths.Resample, string.Create(CultureInfo.InvariantCulture, $"the training series vary in length ({shortest:N0} to {longest:N0} steps; {atLongest:N0} of {train.Count:N0} at the longest)"))
            : (VariableLengths.Pad, string.Create(CultureInfo.InvariantCulture, $"{atLongest:N0} of {train.Count:N0} training series have the longest length ({shortest:N0} to {longest:N0} steps), so the shorter ones are taken as cut short"));
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
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(validPercent is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(validPercent), validPercent, "expected a share from 0 to 1");
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
        if (options.VariableLengths is { } lengths && !Enum.IsDefined(lengths))
            throw new ArgumentOutOfRangeException(nameof(options), $"VariableLengths must be Pad, Resample or null (chosen from the data), found {lengths}");
        if (!Enum.IsDefined(options.MissingValues))
            throw new ArgumentOutOfRangeException(nameof(options), $"MissingValues must be one of {string.Join(", ", Enum.GetNames<MissingValues>())}, found {options.MissingValues}");
        if (options.Normalization is { } normalization && !Enum.IsDefined(normalization))
            throw new ArgumentOutOfRangeException(nameof(options), $"Normalization must be None, PerSample, PerChannel, MinMax, MeanSeries or null (chosen from the data), found {normalization}");
    }

    public void Dispose()
    {
        Train.Dispose();
        Valid.Dispose();
    }
}
