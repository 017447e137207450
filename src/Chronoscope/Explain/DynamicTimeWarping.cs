namespace Chronoscope.Explain;

/// <summary>
/// Dynamic time warping between two series of equal shape (C, L), row-major: the cheapest alignment of their steps,
/// step i of one matched to step j of the other with |i − j| ≤ the Sakoe–Chiba band, each matched pair costing the
/// squared difference summed over channels (the channels warp together), and the distance the square root of the
/// total. With a band of 0 the only alignment is step to step, so it is the Euclidean distance.
/// </summary>
public static class DynamicTimeWarping
{
    /// <summary>
    /// The DTW distance between <paramref name="a"/> and <paramref name="b"/>, each (<paramref name="channels"/>, L)
    /// row-major, within <paramref name="band"/> steps (null: no band, any alignment).
    /// </summary>
    /// <exception cref="ArgumentException">The series differ in size, or their size is not a multiple of the channels.</exception>
    public static double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int channels = 1, int? band = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (a.Length != b.Length)
            throw new ArgumentException($"expected two series of the same size, found {a.Length} and {b.Length} values", nameof(b));
        if (a.Length == 0 || a.Length % channels != 0)
            throw new ArgumentException($"expected {channels} channels of equal length, found {a.Length} values", nameof(a));
        if (band is < 0)
            throw new ArgumentOutOfRangeException(nameof(band), band, "expected a band of 0 steps or more");
        var length = a.Length / channels;
        return Math.Sqrt(SquaredDistance(a, b, channels, length, band ?? length, double.PositiveInfinity));
    }

    /// <summary>
    /// The squared DTW distance, or +∞ when it is above <paramref name="abandonAbove"/>: as soon as every alignment so far
    /// costs more (early abandoning: the caller already knows a series this close).
    /// </summary>
    internal static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int channels, int length, int band, double abandonAbove)
    {
        band = Math.Min(band, length);
        // Two rows of the cost table, column j = 1..length for step j - 1 of b, column 0 the empty prefix.
        var previous = new double[length + 1];
        var current = new double[length + 1];
        Array.Fill(previous, double.PositiveInfinity);
        Array.Fill(current, double.PositiveInfinity);
        previous[0] = 0;
        for (var i = 1; i <= length; i++)
        {
            var low = Math.Max(1, i - band);
            var high = Math.Min(length, i + band);
            current[low - 1] = double.PositiveInfinity; // left of the band (or the empty prefix of b)
            var rowMinimum = double.PositiveInfinity;
            for (var j = low; j <= high; j++)
            {
                var cost = 0.0;
                for (var c = 0; c < channels; c++)
                {
                    var d = (double)a[c * length + i - 1] - b[c * length + j - 1];
                    cost += d * d;
                }
                var best = Math.Min(previous[j - 1], Math.Min(previous[j], current[j - 1]));
                current[j] = cost + best;
                rowMinimum = Math.Min(rowMinimum, current[j]);
            }
            // Cells right of this row's band are never written in this buffer's rows: they stay +∞ for the next row.
            if (rowMinimum > abandonAbove)
                return double.PositiveInfinity;
            (previous, current) = (current, previous);
        }
        return previous[length] > abandonAbove ? double.PositiveInfinity : previous[length];
    }

    /// <summary>
    /// The running maximum and minimum of <paramref name="series"/> ((C, L) row-major) over each step ± <paramref name="band"/>,
    /// per channel: the envelope LB_Keogh bounds other series against.
    /// </summary>
    internal static (float[] Upper, float[] Lower) Envelope(ReadOnlySpan<float> series, int channels, int length, int band)
    {
        var upper = new float[channels * length];
        var lower = new float[channels * length];
        for (var c = 0; c < channels; c++)
        {
            var row = series.Slice(c * length, length);
            for (var t = 0; t < length; t++)
            {
                float max = float.NegativeInfinity, min = float.PositiveInfinity;
                for (var s = Math.Max(0, t - band); s <= Math.Min(length - 1, t + band); s++)
                {
                    max = Math.Max(max, row[s]);
                    min = Math.Min(min, row[s]);
                }
                upper[c * length + t] = max;
                lower[c * length + t] = min;
            }
        }
        return (upper, lower);
    }

    /// <summary>
    /// LB_Keogh (Keogh and Ratanamahatana 2005), squared: how far <paramref name="candidate"/> leaves the other series'
    /// envelope. Every step of the candidate is matched within the band to at least one step of the other series, whose
    /// value lies inside the envelope there, so this never exceeds the squared DTW distance. Stops early (returning what it
    /// has summed) once above <paramref name="abandonAbove"/>.
    /// </summary>
    internal static double LowerBound(ReadOnlySpan<float> candidate, float[] upper, float[] lower, double abandonAbove)
    {
        var sum = 0.0;
        for (var t = 0; t < candidate.Length; t++)
        {
            var v = candidate[t];
            var d = v > upper[t] ? (double)v - upper[t] : v < lower[t] ? (double)lower[t] - v : 0;
            sum += d * d;
            if (sum > abandonAbove)
                return sum;
        }
        return sum;
    }
}
