using System.Globalization;
using Chronoscope.Data.Formats;
namespace Chronoscope.Data;

/// <summary>
/// Scales series the way the model was trained: per-channel statistics (or the mean series) fitted on the training part only, kept so a
/// saved model applies exactly the same scaling at inference. Also fills missing values and zeroes padding, so the
/// model input never holds NaN.
/// </summary>
public sealed class Normalizer
{
    // A deviation or range below this is treated as constant: the channel is centred, not divided by ~0 (the ONNX
    // export builds the same rule into its graph).
    internal const double Tiny = 1e-8;

    private readonly float[] _offsets;
    private readonly float[] _scales;

    private Normalizer(Normalization kind, float[] offsets, float[] scales)
    {
        Kind = kind;
        _offsets = offsets;
        _scales = scales;
    }

    /// <summary>The scaling this normalizer applies.</summary>
    public Normalization Kind { get; }

    /// <summary>
    /// Per channel: the mean (z-score) or minimum (min-max) subtracted; for <see cref="Normalization.MeanSeries"/> the
    /// mean series, channel after channel (channels × <see cref="Steps"/> values); empty for None and PerSample.
    /// </summary>
    public IReadOnlyList<float> Offsets => _offsets;

    /// <summary>Per channel: the deviation (z-score and mean series) or range (min-max) divided by; empty for None and PerSample.</summary>
    public IReadOnlyList<float> Scales => _scales;

    /// <summary>The length of the mean series <see cref="Normalization.MeanSeries"/> subtracts; 0 for the other kinds.</summary>
    public int Steps => Kind == Normalization.MeanSeries ? _offsets.Length / _scales.Length : 0;

    /// <summary>Fits <paramref name="kind"/> on <paramref name="train"/>, ignoring missing values and padding.</summary>
    public static Normalizer Fit(Normalization kind, TimeSeriesDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckDefined(kind);
        if (kind is Normalization.None or Normalization.PerSample)
            return new Normalizer(kind, [], []);
        if (kind == Normalization.MeanSeries)
            return FitMeanSeries(train);

        var offsets = new float[train.Channels];
        var scales = new float[train.Channels];
        for (var c = 0; c < train.Channels; c++)
        {
            double sum = 0, sumSquares = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            long n = 0;
            for (var i = 0; i < train.Count; i++)
            {
                foreach (var v in train.Values.Slice((i * train.Channels + c) * train.Length, train.Lengths[i]))
                {
                    if (float.IsNaN(v))
                        continue;
                    sum += v;
                    sumSquares += (double)v * v;
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                    n++;
                }
            }
            if (n == 0)
                continue; // an all-missing channel: offset 0, scale 0 (treated as 1)
            if (kind == Normalization.PerChannel)
            {
                var mean = sum / n;
                offsets[c] = (float)mean;
                scales[c] = (float)Math.Sqrt(Math.Max(0, sumSquares / n - mean * mean));
            }
            else
            {
                offsets[c] = (float)min;
                scales[c] = (float)(max - min);
            }
        }
        return new Normalizer(kind, offsets, scales);
    }

    /// <summary>A normalizer with known statistics (from a saved model): finite offsets, finite scales of at least 0.</summary>
    public static Normalizer FromStatistics(Normalization kind, IReadOnlyList<float> offsets, IReadOnlyList<float> scales)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(scales);
        CheckDefined(kind);
        if (offsets.Any(v => !float.IsFinite(v)))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"the offsets must be finite, found {offsets.First(v => !float.IsFinite(v))}"));
        // A scale of 0 is a constant training channel, which the normalizer centres and divides by 1.
        if (scales.Any(v => !float.IsFinite(v) || v < 0))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"the scales must be finite and at least 0, found {scales.First(v => !float.IsFinite(v) || v < 0)}"));
        if (kind == Normalization.MeanSeries)
        {
            if (scales.Count == 0 || offsets.Count == 0 || offsets.Count % scales.Count != 0)
                throw new ArgumentException($"{kind} expects one scale per channel and a mean series of the same length for each, found {offsets.Count} offsets and {scales.Count} scales");
            return new Normalizer(kind, [.. offsets], [.. scales]);
        }
        var needsStatistics = kind is Normalization.PerChannel or Normalization.MinMax;
        if (offsets.Count != scales.Count || needsStatistics != (offsets.Count > 0))
            throw new ArgumentException($"{kind} expects {(needsStatistics ? "one offset and one scale per channel" : "no statistics")}, found {offsets.Count} offsets and {scales.Count} scales");
        return new Normalizer(kind, [.. offsets], [.. scales]);
    }

    private static void CheckDefined(Normalization kind)
    {
        if (!Enum.IsDefined(kind))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"expected one of {string.Join(", ", Enum.GetNames<Normalization>())}");
    }

    // The mean at each step over the series that reach it, and per channel the deviation of every present value from
    // its step's mean. A channel that never departs from its mean has deviation 0 (divided by 1, as a constant channel
    // per channel); one with no value at all keeps a mean series of 0.
    private static Normalizer FitMeanSeries(TimeSeriesDataset train)
    {
        var (channels, length) = (train.Channels, train.Length);
        var offsets = new float[channels * length];
        var scales = new float[channels];
        var sums = new double[length];
        var counts = new int[length];
        for (var c = 0; c < channels; c++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            for (var i = 0; i < train.Count; i++)
            {
                var series = train.Values.Slice((i * channels + c) * length, train.Lengths[i]);
                for (var t = 0; t < series.Length; t++)
                {
                    if (!float.IsNaN(series[t]))
                    {
                        sums[t] += series[t];
                        counts[t]++;
                    }
                }
            }
            var mean = offsets.AsSpan(c * length, length);
            for (var t = 0; t < length; t++)
                mean[t] = counts[t] > 0 ? (float)(sums[t] / counts[t]) : float.NaN;
            // A step no training series reaches (padding to a longer validation part, a value missing in every series)
            // takes its neighbours' mean: subtracting 0 there would hand the network the raw value divided by a
            // deviation that, for near copies, is a hundredth of the series' spread.
            Interpolate(mean);

            double sumSquares = 0;
            long n = 0;
            for (var i = 0; i < train.Count; i++)
            {
                var series = train.Values.Slice((i * channels + c) * length, train.Lengths[i]);
                for (var t = 0; t < series.Length; t++)
                {
                    if (!float.IsNaN(series[t]))
                    {
                        var d = (double)series[t] - mean[t];
                        sumSquares += d * d;
                        n++;
                    }
                }
            }
            scales[c] = n > 0 ? (float)Math.Sqrt(sumSquares / n) : 0f;
        }
        return new Normalizer(Normalization.MeanSeries, offsets, scales);
    }

    /// <summary>
    /// The model input for <paramref name="data"/>: (N, C, L) with missing values handled by
    /// <paramref name="missing"/>, scaled, and zero after each series' true length.
    /// </summary>
    public float[] Prepare(TimeSeriesDataset data, MissingValues missing)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!Enum.IsDefined(missing))
            throw new ArgumentOutOfRangeException(nameof(missing), missing, $"expected one of {string.Join(", ", Enum.GetNames<MissingValues>())}");
        if (_scales.Length > 0 && _scales.Length != data.Channels)
            throw new ArgumentException($"the normalizer was fitted on {_scales.Length} channels, the data has {data.Channels}", nameof(data));
        if (Kind == Normalization.MeanSeries && data.Length > Steps)
        {
            var where = data.Sources.Count > 0 ? data.Sources[0] : data.Name;
            throw new DatasetFormatException(where, null,
                $"series of up to {Steps} steps expected: the model subtracts its training series' mean series, {Steps} steps long, and this data has series of {data.Length}; cut them to {Steps} steps, or train the model with --variable-lengths resample (it then resamples every input to its length) or another normalization.");
        }

        var values = data.Values.ToArray();
        for (var i = 0; i < data.Count; i++)
        {
            for (var c = 0; c < data.Channels; c++)
            {
                var row = values.AsSpan((i * data.Channels + c) * data.Length, data.Length);
                var series = row[..data.Lengths[i]];
                if (missing == MissingValues.Fail && IndexOfNaN(series) is var step and >= 0)
                {
                    var where = data.Sources.Count > 0 ? data.Sources[0] : data.Name;
                    throw new DatasetFormatException(where, null,
                        $"series {i} channel {c} has a missing value at step {step}; choose MissingValues.Interpolate or MissingValues.Zero to fill it.");
                }
                if (missing == MissingValues.Interpolate)
                    Interpolate(series);
                Scale(series, c);
                if (missing == MissingValues.Zero)
                {
                    foreach (ref var v in series)
                        v = float.IsNaN(v) ? 0f : v;
                }
                row[data.Lengths[i]..].Clear();
            }
        }
        return values;
    }

    // NaN != NaN, so span searches for NaN find nothing: test each value.
    private static int IndexOfNaN(ReadOnlySpan<float> series)
    {
        for (var t = 0; t < series.Length; t++)
        {
            if (float.IsNaN(series[t]))
                return t;
        }
        return -1;
    }

    private void Scale(Span<float> series, int channel)
    {
        switch (Kind)
        {
            case Normalization.None:
                return;
            case Normalization.PerSample:
            {
                double sum = 0, sumSquares = 0;
                var n = 0;
                foreach (var v in series)
                {
                    if (float.IsNaN(v))
                        continue;
                    sum += v;
                    sumSquares += (double)v * v;
                    n++;
                }
                var mean = n > 0 ? sum / n : 0;
                var deviation = n > 0 ? Math.Sqrt(Math.Max(0, sumSquares / n - mean * mean)) : 0;
                Affine(series, mean, deviation);
                return;
            }
            case Normalization.MeanSeries:
            {
                var mean = _offsets.AsSpan(channel * Steps, series.Length);
                var factor = Factor(_scales[channel]);
                for (var t = 0; t < series.Length; t++)
                    series[t] = (float)((series[t] - mean[t]) * factor);
                return;
            }
            default:
                Affine(series, _offsets[channel], _scales[channel]);
                return;
        }
    }

    private static void Affine(Span<float> series, double offset, double scale)
    {
        var factor = Factor(scale);
        for (var t = 0; t < series.Length; t++)
            series[t] = (float)((series[t] - offset) * factor);
    }

    /// <summary>What a value is multiplied by after centring: 1/scale, or 1 for a scale below <see cref="Tiny"/> (a constant).</summary>
    internal static double Factor(double scale) => scale > Tiny ? 1.0 / scale : 1.0;

    /// <summary>Fills NaN by linear interpolation between present neighbours; the ends take the nearest present value.</summary>
    internal static void Interpolate(Span<float> series)
    {
        var previous = -1;
        for (var t = 0; t <= series.Length; t++)
        {
            if (t < series.Length && float.IsNaN(series[t]))
                continue;
            var gap = t - previous - 1;
            if (gap > 0)
            {
                for (var k = previous + 1; k < t; k++)
                {
                    series[k] = (previous, t == series.Length) switch
                    {
                        (-1, true) => 0f,
                        (-1, false) => series[t],
                        (_, true) => series[previous],
                        _ => series[previous] + (series[t] - series[previous]) * (k - previous) / (float)(t - previous),
                    };
                }
            }
            previous = t;
        }
    }
}
