using Chronoscope.Data.Formats;
namespace Chronoscope.Data;

/// <summary>
/// Scales series the way the model was trained: per-channel statistics fitted on the training part only, kept so a
/// saved model applies exactly the same scaling at inference. Also fills missing values and zeroes padding, so the
/// model input never holds NaN.
/// </summary>
public sealed class Normalizer
{
    // A deviation or range below this is treated as constant: the channel is centred, not divided by ~0.
    private const double Tiny = 1e-8;

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

    /// <summary>Per channel: the mean (z-score) or minimum (min-max) subtracted; empty for None and PerSample.</summary>
    public IReadOnlyList<float> Offsets => _offsets;

    /// <summary>Per channel: the deviation (z-score) or range (min-max) divided by; empty for None and PerSample.</summary>
    public IReadOnlyList<float> Scales => _scales;

    /// <summary>Fits <paramref name="kind"/> on <paramref name="train"/>, ignoring missing values and padding.</summary>
    public static Normalizer Fit(Normalization kind, TimeSeriesDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (kind is Normalization.None or Normalization.PerSample)
            return new Normalizer(kind, [], []);

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

    /// <summary>A normalizer with known statistics (from a saved model).</summary>
    public static Normalizer FromStatistics(Normalization kind, IReadOnlyList<float> offsets, IReadOnlyList<float> scales)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(scales);
        var needsStatistics = kind is Normalization.PerChannel or Normalization.MinMax;
        if (offsets.Count != scales.Count || needsStatistics != (offsets.Count > 0))
            throw new ArgumentException($"{kind} expects {(needsStatistics ? "one offset and one scale per channel" : "no statistics")}, found {offsets.Count} offsets and {scales.Count} scales");
        return new Normalizer(kind, [.. offsets], [.. scales]);
    }

    /// <summary>
    /// The model input for <paramref name="data"/>: (N, C, L) with missing values handled by
    /// <paramref name="missing"/>, scaled, and zero after each series' true length.
    /// </summary>
    public float[] Prepare(TimeSeriesDataset data, MissingValues missing)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_offsets.Length > 0 && _offsets.Length != data.Channels)
            throw new ArgumentException($"the normalizer was fitted on {_offsets.Length} channels, the data has {data.Channels}", nameof(data));

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
            default:
                Affine(series, _offsets[channel], _scales[channel]);
                return;
        }
    }

    private static void Affine(Span<float> series, double offset, double scale)
    {
        var factor = scale > Tiny ? 1.0 / scale : 1.0;
        for (var t = 0; t < series.Length; t++)
            series[t] = (float)((series[t] - offset) * factor);
    }

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
