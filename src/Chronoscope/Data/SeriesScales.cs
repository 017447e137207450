namespace Chronoscope.Data;

/// <summary>How far apart the scales of a dataset's series are: alike in z-normalized data, orders of magnitude apart in data such as PLAID.</summary>
internal static class SeriesScales
{
    /// <summary>
    /// The 5th and 95th percentiles (nearest rank) of the series' standard deviations over their true length,
    /// missing values left out, in the channel where they are furthest apart; null when fewer than two series of a
    /// channel vary.
    /// </summary>
    public static (int Channel, double Low, double High)? Spread(TimeSeriesDataset data)
    {
        (int Channel, double Low, double High)? widest = null;
        var deviations = new List<double>(data.Count);
        for (var c = 0; c < data.Channels; c++)
        {
            deviations.Clear();
            for (var i = 0; i < data.Count; i++)
            {
                var deviation = StandardDeviation(data.Values.Slice((i * data.Channels + c) * data.Length, data.Lengths[i]));
                if (deviation > 0 && double.IsFinite(deviation))
                    deviations.Add(deviation);
            }
            if (deviations.Count < 2)
                continue;
            deviations.Sort();
            var low = deviations[(int)Math.Round(0.05 * (deviations.Count - 1))];
            var high = deviations[(int)Math.Round(0.95 * (deviations.Count - 1))];
            if (widest is not { } w || high / low > w.High / w.Low)
                widest = (c, low, high);
        }
        return widest;
    }

    // Two passes: a series with a large offset and a tiny deviation (PLAID has both) would lose its deviation to
    // rounding in the sum of squares.
    private static double StandardDeviation(ReadOnlySpan<float> values)
    {
        double sum = 0;
        var n = 0;
        foreach (var v in values)
        {
            if (!float.IsNaN(v))
            {
                sum += v;
                n++;
            }
        }
        if (n < 2)
            return 0;
        var mean = sum / n;
        double squares = 0;
        foreach (var v in values)
        {
            if (!float.IsNaN(v))
                squares += (v - mean) * (v - mean);
        }
        return Math.Sqrt(squares / n);
    }
}
