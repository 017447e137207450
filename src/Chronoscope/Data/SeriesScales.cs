using System.Globalization;

namespace Chronoscope.Data;

/// <summary>
/// The 5th and 95th percentiles (nearest rank) of a dataset's series' standard deviations, in the channel where they
/// are furthest apart (<see cref="SeriesScales.Spread"/>).
/// </summary>
internal readonly record struct ScaleSpread(int Channel, double Low, double High)
{
    /// <summary>
    /// Three orders of magnitude from the 5th to the 95th percentile: with one scale for all, the quiet series reach the
    /// network as flat lines. Measured: PLAID 7e5 (0.51 as read, 0.86 per sample); below it every other set measured
    /// (BasicMotions 88, JapaneseVowels 6, Chinatown 1.7, whose amplitudes tell classes apart; z-normalized sets 1).
    /// </summary>
    public const double WideRatio = 1e3;

    public bool IsWide => High / Low >= WideRatio;

    /// <summary>"the training series' standard deviations span 5.8 orders of magnitude (7.41E-05 at the 5th percentile, 49.1 at the 95th)".</summary>
    public string Describe(int channels)
    {
        var channel = channels > 1 ? $" of channel {Channel}" : "";
        return IsWide
            ? string.Create(CultureInfo.InvariantCulture, $"the training series' standard deviations{channel} span {Math.Log10(High / Low):0.#} orders of magnitude ({Low:G3} at the 5th percentile, {High:G3} at the 95th)")
            : string.Create(CultureInfo.InvariantCulture, $"the training series' standard deviations{channel} span less than {Math.Log10(WideRatio):0} orders of magnitude ({Low:G3} to {High:G3}, 5th to 95th percentile)");
    }
}

/// <summary>How far apart the scales of a dataset's series are: alike in z-normalized data, orders of magnitude apart in data such as PLAID.</summary>
internal static class SeriesScales
{
    /// <summary>
    /// The 5th and 95th percentiles (nearest rank) of the series' standard deviations over their true length,
    /// missing values left out, in the channel where they are furthest apart; null when fewer than two series of a
    /// channel vary.
    /// </summary>
    public static ScaleSpread? Spread(TimeSeriesDataset data)
    {
        ScaleSpread? widest = null;
        var deviations = new List<double>(data.Count);
        for (var c = 0; c < data.Channels; c++)
        {
            deviations.Clear();
            for (var i = 0; i < data.Count; i++)
            {
                var deviation = Moments(data.Values.Slice((i * data.Channels + c) * data.Length, data.Lengths[i])).Deviation;
                if (deviation > 0 && double.IsFinite(deviation))
                    deviations.Add(deviation);
            }
            if (deviations.Count < 2)
                continue;
            deviations.Sort();
            var low = deviations[(int)Math.Round(0.05 * (deviations.Count - 1))];
            var high = deviations[(int)Math.Round(0.95 * (deviations.Count - 1))];
            if (widest is not { } w || high / low > w.High / w.Low)
                widest = new ScaleSpread(c, low, high);
        }
        return widest;
    }

    /// <summary>
    /// The median of the series' standard deviations over every channel (those that vary), or null when none varies:
    /// the data's magnitude, 1 for z-normalized sets.
    /// </summary>
    public static double? MedianDeviation(TimeSeriesDataset data)
    {
        var deviations = new List<double>(data.Count * data.Channels);
        for (var i = 0; i < data.Count; i++)
        {
            for (var c = 0; c < data.Channels; c++)
            {
                var deviation = Moments(data.Values.Slice((i * data.Channels + c) * data.Length, data.Lengths[i])).Deviation;
                if (deviation > 0 && double.IsFinite(deviation))
                    deviations.Add(deviation);
            }
        }
        if (deviations.Count == 0)
            return null;
        deviations.Sort();
        return deviations[deviations.Count / 2];
    }

    /// <summary>
    /// The mean and (population) standard deviation of <paramref name="values"/>, missing values left out; a deviation of
    /// 0 for fewer than two values. Two passes: a series with a large offset and a tiny deviation (PLAID has both)
    /// would lose its deviation to rounding in a sum of squares.
    /// </summary>
    public static (double Mean, double Deviation) Moments(ReadOnlySpan<float> values)
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
        var mean = n > 0 ? sum / n : 0;
        if (n < 2)
            return (mean, 0);
        double squares = 0;
        foreach (var v in values)
        {
            if (!float.IsNaN(v))
                squares += (v - mean) * (v - mean);
        }
        return (mean, Math.Sqrt(squares / n));
    }
}
