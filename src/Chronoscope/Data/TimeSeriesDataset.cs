using Chronoscope.Data.Formats;
namespace Chronoscope.Data;

/// <summary>
/// Series of one UCR/UEA dataset in memory, whatever the file format: values in one contiguous array
/// shaped (N, C, L), a string label per series, the class vocabulary, and each series' true length.
/// Series shorter than <see cref="Length"/> are padded after their end (see <see cref="PaddingValue"/>);
/// a missing value (<c>?</c> or NaN inside a series) is NaN.
/// </summary>
public sealed class TimeSeriesDataset
{
    private readonly float[] _values;
    private readonly string[]? _labels;
    private readonly int[]? _labelIndices;
    private readonly int[] _lengths;

    /// <param name="name">The dataset's name, e.g. <c>GunPoint</c>.</param>
    /// <param name="values">(N, C, L) row-major; the dataset keeps this array, it does not copy it.</param>
    /// <param name="count">N, the number of series.</param>
    /// <param name="channels">C, the number of channels (dimensions).</param>
    /// <param name="length">L, the length of the longest series.</param>
    /// <param name="labels">One label per series, or null for unlabelled data.</param>
    /// <param name="declaredClasses">Classes a file header declares; they join the vocabulary even when no series has them.</param>
    /// <param name="lengths">Each series' true length; null when all have length L.</param>
    /// <param name="sources">The files the series came from, for messages.</param>
    public TimeSeriesDataset(
        string name, float[] values, int count, int channels, int length,
        string[]? labels, IEnumerable<string>? declaredClasses = null, int[]? lengths = null,
        IReadOnlyList<string>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if ((long)count * channels * length != values.Length)
            throw new ArgumentException($"expected {count}×{channels}×{length} = {(long)count * channels * length} values, found {values.Length}", nameof(values));
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"expected {count} labels, found {labels.Length}", nameof(labels));
        if (labels is not null && Array.IndexOf(labels, null) is var unlabelled and >= 0)
            throw new ArgumentException($"label {unlabelled} is null: give every series a label, or pass null for unlabelled data", nameof(labels));
        // NaN is a missing value; an infinity would make every normalized value NaN (the readers refuse it too).
        if (Array.FindIndex(values, float.IsInfinity) is var infinite and >= 0)
        {
            var (series, rest) = Math.DivRem(infinite, channels * length);
            throw new ArgumentException($"series {series}, channel {rest / length}, step {rest % length} is {(values[infinite] > 0 ? "+" : "-")}infinity: expected a finite value, or NaN for a missing one", nameof(values));
        }
        if (lengths is not null && (lengths.Length != count || lengths.Any(n => n < 0 || n > length)))
            throw new ArgumentException($"expected {count} lengths between 0 and {length}", nameof(lengths));

        Name = name;
        _values = values;
        Count = count;
        Channels = channels;
        Length = length;
        _labels = labels;
        _lengths = lengths ?? Enumerable.Repeat(length, count).ToArray();
        Sources = sources ?? [];
        var declared = declaredClasses?.ToList() ?? [];
        if (declared.Contains(null!))
            throw new ArgumentException("a declared class is null: expected class names", nameof(declaredClasses));
        Classes = ClassVocabulary.Sort(declared.Concat(labels ?? []));
        if (labels is not null)
        {
            var index = Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
            _labelIndices = labels.Select(l => index[l]).ToArray();
        }
        MissingValueCount = CountMissing();
    }

    /// <summary>The dataset's name, e.g. <c>GunPoint</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The channels' names, one per channel, or null when nothing names them (then pictures call them <c>ch0</c>,
    /// <c>ch1</c>, …). None of the archive's formats carries channel names (a UEA ARFF file's inner attributes are
    /// its time steps, not its channels), so files read as null; give them with <see cref="WithChannelNames"/>.
    /// </summary>
    public IReadOnlyList<string>? ChannelNames { get; private init; }

    /// <summary>This dataset with its channels named <paramref name="names"/> (null: unnamed); the values are shared, not copied.</summary>
    /// <exception cref="ArgumentException">The names are not one per channel, or one is empty.</exception>
    public TimeSeriesDataset WithChannelNames(IReadOnlyList<string>? names)
    {
        if (names is not null && names.Count != Channels)
            throw new ArgumentException($"expected {Channels} channel names, one per channel, found {names.Count}", nameof(names));
        if (names is not null && names.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("expected a name for every channel, found an empty one", nameof(names));
        return new TimeSeriesDataset(Name, _values, Count, Channels, Length, _labels, Classes, _lengths, Sources)
        {
            ChannelNames = names?.ToArray(),
        };
    }

    /// <summary>N, the number of series.</summary>
    public int Count { get; }

    /// <summary>C, the number of channels (1 for a univariate dataset).</summary>
    public int Channels { get; }

    /// <summary>L, the length of the longest series; every series occupies L steps in <see cref="Values"/>.</summary>
    public int Length { get; }

    /// <summary>All values, (N, C, L) row-major: series i, channel c, step t is at <c>(i * C + c) * L + t</c>.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The label of each series, or null when the data is unlabelled.</summary>
    public IReadOnlyList<string>? Labels => _labels;

    /// <summary>Each series' class as an index into <see cref="Classes"/>, or null when the data is unlabelled.</summary>
    public IReadOnlyList<int>? LabelIndices => _labelIndices;

    /// <summary>The class vocabulary in <see cref="ClassVocabulary"/> order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Each series' true length (at most <see cref="Length"/>).</summary>
    public IReadOnlyList<int> Lengths => _lengths;

    /// <summary>True when every series has length <see cref="Length"/>.</summary>
    public bool IsEqualLength => _lengths.All(n => n == Length);

    /// <summary>How many values inside the series' true lengths are missing (NaN).</summary>
    public long MissingValueCount { get; }

    /// <summary>The files the series were read from.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Series <paramref name="index"/> as (C, L) row-major.</summary>
    public ReadOnlySpan<float> Series(int index) => _values.AsSpan(checked(index * Channels * Length), Channels * Length);

    /// <summary>Series <paramref name="index"/> cut to its true length, (C, Lengths[index]) row-major: what pictures draw.</summary>
    public float[] SeriesAsRead(int index)
    {
        var length = Lengths[index];
        var values = new float[Channels * length];
        var row = Series(index);
        for (var c = 0; c < Channels; c++)
            row.Slice(c * Length, length).CopyTo(values.AsSpan(c * length));
        return values;
    }

    /// <summary>How many series each class has, in vocabulary order (all zero for unlabelled data).</summary>
    public IReadOnlyList<int> ClassCounts()
    {
        var counts = new int[Classes.Count];
        foreach (var i in _labelIndices ?? [])
            counts[i]++;
        return counts;
    }

    /// <summary>The series at <paramref name="indices"/>, in that order, as a new dataset with the same vocabulary.</summary>
    public TimeSeriesDataset Subset(IReadOnlyList<int> indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        foreach (var i in indices)
        {
            if (i < 0 || i >= Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"expected series indices from 0 to {Count - 1}");
        }
        var rowSize = Channels * Length;
        var values = new float[indices.Count * rowSize];
        for (var k = 0; k < indices.Count; k++)
            Series(indices[k]).CopyTo(values.AsSpan(k * rowSize, rowSize));
        return new TimeSeriesDataset(
            name ?? Name, values, indices.Count, Channels, Length,
            _labels is null ? null : indices.Select(i => _labels[i]).ToArray(),
            Classes, indices.Select(i => _lengths[i]).ToArray(), Sources)
        {
            ChannelNames = ChannelNames,
        };
    }

    /// <summary>This dataset with every series padded with zeros after its end to <paramref name="length"/> steps (at least <see cref="Length"/>); true lengths kept.</summary>
    internal TimeSeriesDataset PaddedTo(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, Length);
        if (length == Length)
            return this;
        var values = new float[(long)Count * Channels * length];
        for (var row = 0; row < Count * Channels; row++)
            _values.AsSpan(row * Length, Length).CopyTo(values.AsSpan(row * length));
        return new TimeSeriesDataset(Name, values, Count, Channels, length, _labels?.ToArray(), Classes, [.. _lengths], Sources)
        {
            ChannelNames = ChannelNames,
        };
    }

    /// <summary>
    /// Every series linearly interpolated from its true length to <paramref name="length"/> steps, first and last
    /// values kept (<see cref="VariableLengths.Resample"/>): a series of one value becomes constant, an empty one
    /// missing; a value next to a missing one is missing. Labels, classes, sources and channel names are kept.
    /// </summary>
    public TimeSeriesDataset Resample(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var values = new float[(long)Count * Channels * length];
        for (var i = 0; i < Count; i++)
        {
            var n = _lengths[i];
            for (var c = 0; c < Channels; c++)
            {
                var source = _values.AsSpan((i * Channels + c) * Length, n);
                var target = values.AsSpan((i * Channels + c) * length, length);
                if (n <= 1)
                {
                    target.Fill(n == 1 ? source[0] : float.NaN);
                    continue;
                }
                for (var t = 0; t < length; t++)
                {
                    // Position t of the new grid on the old one: 0 at the first value, n - 1 at the last.
                    var x = length == 1 ? 0 : (double)t * (n - 1) / (length - 1);
                    var left = Math.Min((int)x, n - 2);
                    var fraction = x - left;
                    // On a step of the old grid the value is that step's (exact, and not missing for a missing neighbour).
                    target[t] = fraction == 0 ? source[left]
                        : fraction == 1 ? source[left + 1]
                        : (float)(source[left] + fraction * ((double)source[left + 1] - source[left]));
                }
            }
        }
        return new TimeSeriesDataset(Name, values, Count, Channels, length, _labels?.ToArray(), Classes, null, Sources)
        {
            ChannelNames = ChannelNames,
        };
    }

    /// <summary>
    /// Several files of one dataset as one (TRAIN and TEST pooled, as fastai's <c>from_files</c> does).
    /// Channels must agree; lengths must agree unless a part has series of different lengths, in which
    /// case every series is padded to the longest with <paramref name="padding"/>.
    /// </summary>
    /// <param name="name">The pooled dataset's name.</param>
    /// <param name="parts">The datasets, in order.</param>
    /// <param name="padding">What pads series shorter than the longest.</param>
    /// <param name="mixedLengths">True to pool equal-length parts of different lengths too (new data for a model, which
    /// runs on any length), padding the shorter ones as the series of a variable-length file are; false (the default)
    /// refuses them, as files that cannot be one dataset.</param>
    public static TimeSeriesDataset Concatenate(string name, IReadOnlyList<TimeSeriesDataset> parts, PaddingValue padding = PaddingValue.Zero, bool mixedLengths = false)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
            throw new ArgumentException("expected at least one dataset", nameof(parts));
        if (parts.Contains(null!))
            throw new ArgumentException("expected datasets, found a null one", nameof(parts));
        var first = parts[0];
        foreach (var part in parts.Skip(1))
            first.CheckCompatible(part, mixedLengths);

        var length = parts.Max(p => p.Length);
        var count = parts.Sum(p => p.Count);
        var values = new float[(long)count * first.Channels * length];
        if (padding == PaddingValue.NaN)
            values.AsSpan().Fill(float.NaN);
        var offset = 0;
        foreach (var part in parts)
        {
            for (var i = 0; i < part.Count; i++)
            {
                for (var c = 0; c < part.Channels; c++)
                {
                    part._values.AsSpan((i * part.Channels + c) * part.Length, part.Length)
                        .CopyTo(values.AsSpan(((offset + i) * first.Channels + c) * length));
                }
            }
            offset += part.Count;
        }
        var labelled = parts.All(p => p._labels is not null);
        return new TimeSeriesDataset(
            name, values, count, first.Channels, length,
            labelled ? parts.SelectMany(p => p._labels!).ToArray() : null,
            parts.SelectMany(p => p.Classes), parts.SelectMany(p => p._lengths).ToArray(),
            parts.SelectMany(p => p.Sources).ToArray())
        {
            // names only when every part names its channels alike
            ChannelNames = parts.All(p => p.ChannelNames is { } names && first.ChannelNames is { } firstNames && names.SequenceEqual(firstNames, StringComparer.Ordinal))
                ? first.ChannelNames
                : null,
        };
    }

    /// <summary>Throws when <paramref name="other"/> cannot be used beside this dataset (pooled, or as its test set).</summary>
    public void CheckCompatible(TimeSeriesDataset other) => CheckCompatible(other, mixedLengths: false);

    private void CheckCompatible(TimeSeriesDataset other, bool mixedLengths)
    {
        ArgumentNullException.ThrowIfNull(other);
        var where = other.Sources.Count > 0 ? other.Sources[0] : other.Name;
        var reference = Sources.Count > 0 ? Sources[0] : Name;
        if (other.Channels != Channels)
            throw new DatasetFormatException(where, null,
                $"expected {Channels} channels as in {reference}, found {other.Channels}; the files of one dataset must have the same channels.");
        if (!mixedLengths && other.Length != Length && IsEqualLength && other.IsEqualLength)
            throw new DatasetFormatException(where, null,
                $"expected series of length {Length} as in {reference}, found {other.Length}; the files of one dataset must have the same length.");
        if ((_labels is null) != (other._labels is null))
            throw new DatasetFormatException(where, null,
                _labels is null ? $"has class labels but {reference} has none." : $"has no class labels but {reference} has.");
    }

    private long CountMissing()
    {
        long missing = 0;
        for (var row = 0; row < Count * Channels; row++)
        {
            foreach (var v in _values.AsSpan(row * Length, _lengths[row / Channels]))
            {
                if (float.IsNaN(v))
                    missing++;
            }
        }
        return missing;
    }
}
