using System.Globalization;

namespace Chronoscope.Data;

/// <summary>
/// How far a dataset's series depart from their mean series, against their spread: at each time step the standard
/// deviation across the series, its median over the steps, over the standard deviation of all the channel's values; in
/// the channel where it is largest (<see cref="Of"/>). Near 1 where shapes move in time or differ in kind (CBF 0.81,
/// ShapeletSim 0.98), 0.1 to 0.5 where series share a shape and vary about it (GunPoint 0.42, PhalangesOutlinesCorrect
/// 0.17, Coffee's spectra 0.076), a hundredth where they are near copies of one curve (the spectra of OliveOil 0.0056
/// and Wine 0.014).
/// </summary>
internal readonly record struct MeanSeriesDeparture(int Channel, double Ratio)
{
    /// <summary>
    /// Below this, <see cref="Normalization.MeanSeries"/> is the automatic choice. Measured (default training, seeds
    /// 1-3): OliveOil 0.40 as read (the training loss never leaves the class frequencies' level), 0.81 less the mean
    /// series (published single network: 0.82); Wine 0.48-0.49 either way (its loss, at chance as read, then reaches its
    /// floor: the network fits and does not generalize; published 0.66); Coffee, at 0.076, would lose with it (1.00 as
    /// read, 0.94): a set is left as read unless its classes can hide in a hundredth of its spread.
    /// </summary>
    public const double NearCopiesRatio = 0.03;

    public bool NearCopies => Ratio < NearCopiesRatio;

    /// <summary>"the training series are near copies of one curve: at the median time step they spread 0.0056 of their overall deviation around their mean series (under 0.03)".</summary>
    public string Describe(int channels)
    {
        var channel = channels > 1 ? $" (in channel {Channel}, where they spread most)" : "";
        return NearCopies
            ? string.Create(CultureInfo.InvariantCulture, $"the training series are near copies of one curve: at the median time step they spread {Ratio:G2} of their overall deviation around their mean series{channel} (under {NearCopiesRatio:0.##})")
            : string.Create(CultureInfo.InvariantCulture, $"the training series vary about their mean series: at the median time step they spread {Ratio:G2} of their overall deviation around it{channel} ({NearCopiesRatio:0.##} or more)");
    }

    /// <summary>
    /// The departure of <paramref name="data"/>'s series from their mean, missing values left out; null where the series
    /// vary in length (their steps need not correspond), or no channel has two series and a spread to compare with.
    /// </summary>
    public static MeanSeriesDeparture? Of(TimeSeriesDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.IsEqualLength || data.Count < 2)
            return null;
        var (channels, length) = (data.Channels, data.Length);
        MeanSeriesDeparture? largest = null;
        var column = new float[data.Count];
        var stepDeviations = new List<double>(length);
        var steps = new (int Count, double Mean, double Deviation)[length];
        for (var c = 0; c < channels; c++)
        {
            stepDeviations.Clear();
            for (var t = 0; t < length; t++)
            {
                var present = 0;
                for (var i = 0; i < data.Count; i++)
                {
                    column[i] = data.Values[(i * channels + c) * length + t];
                    present += float.IsNaN(column[i]) ? 0 : 1;
                }
                var (mean, deviation) = SeriesScales.Moments(column);
                steps[t] = (present, mean, deviation);
                // A step with fewer than two values has no spread to measure (Moments would call it 0).
                if (present >= 2 && double.IsFinite(deviation))
                    stepDeviations.Add(deviation);
            }
            var overall = OverallDeviation(steps);
            if (stepDeviations.Count == 0 || !(overall > 0) || !double.IsFinite(overall))
                continue;
            stepDeviations.Sort();
            var ratio = stepDeviations[stepDeviations.Count / 2] / overall;
            if (largest is not { } l || ratio > l.Ratio)
                largest = new MeanSeriesDeparture(c, ratio);
        }
        return largest;
    }

    // The deviation of all the values from the steps' counts, means and (population) deviations: the mean within-step
    // variance plus the variance of the step means, each step weighted by its count (the law of total variance).
    private static double OverallDeviation(ReadOnlySpan<(int Count, double Mean, double Deviation)> steps)
    {
        double n = 0, sum = 0;
        foreach (var step in steps)
        {
            n += step.Count;
            sum += step.Count * step.Mean;
        }
        if (n == 0)
            return 0;
        var grand = sum / n;
        double variance = 0;
        foreach (var step in steps)
            variance += step.Count * (step.Deviation * step.Deviation + (step.Mean - grand) * (step.Mean - grand));
        return Math.Sqrt(variance / n);
    }
}
