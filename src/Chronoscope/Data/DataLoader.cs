using Chronoscope.Data.Formats;
using TorchSharp;

namespace Chronoscope.Data;

/// <summary>
/// One part of a dataset (training, validation or new data) cut into batches. The prepared series (missing values
/// filled, normalized, padding zeroed) sit in one (N, C, L) tensor; a batch gathers its rows with one index_select.
/// </summary>
public sealed class DataLoader : IDisposable
{
    private readonly torch.Tensor _inputs;   // (N, C, L) float32
    private readonly torch.Tensor? _targets; // (N) int64
    private readonly long[]? _targetValues;
    private readonly int _seed;

    internal DataLoader(TimeSeriesDataset dataset, float[] prepared, IReadOnlyList<string> classes, int batchSize, bool shuffle, bool dropLast, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        _seed = seed;
        if (dataset.Labels is { } labels)
        {
            var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i, StringComparer.Ordinal);
            _targetValues = new long[labels.Count];
            for (var i = 0; i < labels.Count; i++)
            {
                if (!index.TryGetValue(labels[i], out _targetValues[i]))
                    throw new DatasetFormatException(dataset.Sources.Count > 0 ? dataset.Sources[0] : dataset.Name, null,
                        $"series {i} has label \"{labels[i]}\", expected one of the model's classes: {string.Join(", ", classes)}.");
            }
            _targets = torch.tensor(_targetValues).DetachFromDisposeScope();
        }
        _inputs = torch.tensor(prepared, [dataset.Count, dataset.Channels, dataset.Length]).DetachFromDisposeScope();
    }

    /// <summary>
    /// A loader that prepares <paramref name="data"/> with a fitted <paramref name="normalizer"/> and maps its labels into
    /// <paramref name="classes"/>; batches in order, none dropped (to predict, evaluate or explain).
    /// </summary>
    internal static DataLoader ForInference(TimeSeriesDataset data, Normalizer normalizer, MissingValues missing, IReadOnlyList<string> classes, int batchSize) =>
        new(data, normalizer.Prepare(data, missing), classes, batchSize, shuffle: false, dropLast: false, seed: 0);

    /// <summary>The series as read, before normalization (what pictures draw).</summary>
    public TimeSeriesDataset Dataset { get; }

    /// <summary>N, the number of series.</summary>
    public int Count => Dataset.Count;

    /// <summary>Series per batch.</summary>
    public int BatchSize { get; private set; }

    /// <summary>
    /// Makes the batches smaller: the learner's automatic batch where the one chosen would not fit the memory available
    /// (<see cref="Training.Learner"/>), before any epoch.
    /// </summary>
    internal void ShrinkBatchSize(int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, BatchSize);
        BatchSize = batchSize;
    }

    /// <summary>True when every epoch visits the series in a new random order (the training loader).</summary>
    public bool Shuffle { get; }

    /// <summary>True when the last incomplete batch is left out, unless it is the only batch.</summary>
    public bool DropLast { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchCount => BatchesPerEpoch(Count, BatchSize, DropLast);

    /// <summary>Batches per epoch of <paramref name="count"/> series in batches of <paramref name="batchSize"/>.</summary>
    internal static int BatchesPerEpoch(int count, int batchSize, bool dropLast) =>
        count == 0 ? 0 : dropLast && count >= batchSize ? count / batchSize : (int)(((long)count + batchSize - 1) / batchSize); // long: a batch size near int.MaxValue

    /// <summary>The class index of each series, or null for unlabelled data.</summary>
    public IReadOnlyList<long>? Targets => _targetValues;

    /// <summary>The series indices of each batch of <paramref name="epoch"/>: shuffled by (seed, epoch) when <see cref="Shuffle"/>.</summary>
    public IReadOnlyList<int[]> BatchIndices(int epoch)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        if (Shuffle)
            new SplitMix64((ulong)_seed * 0x9E3779B97F4A7C15 + (ulong)epoch).Shuffle(order);
        var batches = new int[BatchCount][];
        for (var b = 0; b < batches.Length; b++)
            batches[b] = order[(b * BatchSize)..Math.Min(Count, (b + 1) * BatchSize)];
        return batches;
    }

    /// <summary>Exactly the series at <paramref name="indices"/>, in that order.</summary>
    public Batch GetBatch(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        // A disposed tensor would answer in libtorch's words ("Tensor invalid -- empty handle").
        ObjectDisposedException.ThrowIf(_inputs.IsInvalid, this);
        if (indices.Count == 0)
            throw new ArgumentException("expected at least one index", nameof(indices));
        foreach (var i in indices)
        {
            if (i < 0 || i >= Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {i} is outside 0..{Count - 1}");
        }
        using var rows = torch.tensor(indices.Select(i => (long)i).ToArray());
        return new Batch(OnDevice(_inputs.index_select(0, rows)), _targets is null ? null : OnDevice(_targets.index_select(0, rows)), [.. indices]);
    }

    // The batch's tensor on TorchRuntime.Device; a CPU batch stays as it is (to() would make a second handle to dispose).
    private static torch.Tensor OnDevice(torch.Tensor rows)
    {
        var device = TorchRuntime.Device;
        return device.type == DeviceType.CPU ? rows : rows.to(device.type, device.index, disposeAfter: true);
    }

    /// <summary>The first batch of the first epoch.</summary>
    public Batch OneBatch() => Count > 0 ? GetBatch(BatchIndices(0)[0]) : throw new InvalidOperationException("the loader holds no series");

    /// <summary>Every batch of <paramref name="epoch"/>; each batch's tensors belong to the dispose scope current when it is made.</summary>
    public IEnumerable<Batch> Batches(int epoch = 0)
    {
        foreach (var indices in BatchIndices(epoch))
            yield return GetBatch(indices);
    }

    public void Dispose()
    {
        _inputs.Dispose();
        _targets?.Dispose();
    }
}
