namespace Chronoscope.Plotting;

/// <summary>
/// Every picture of Chronoscope, each from plain arrays: the series of a dataset (<see cref="ShowBatch(IReadOnlyList{LabelledSeries}, SeriesGridOptions?)"/>),
/// predictions (<see cref="ShowResults(IReadOnlyList{PredictedSeries}, SeriesGridOptions?)"/>), class activation maps over series (<see cref="ShowCam(CamBatch, CamPlotOptions?)"/>), and training
/// curves (<see cref="PlotLoss"/>, <see cref="PlotLearningRateFinder"/>, <see cref="PlotSchedule"/>,
/// <see cref="PlotConfusionMatrix"/>). Each returns a <see cref="Figure"/>; save it with <see cref="Figure.Save"/>.
/// Text is drawn in the embedded DejaVu Sans (<see cref="EmbeddedFont"/>).
/// </summary>
public static partial class Pictures
{
    private static string Percent(double probability) =>
        (probability * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";

    /// <summary>Axis limits around [min, max] with 10% of the span on each side; a flat range gets ±0.5.</summary>
    internal static (double Bottom, double Top) PaddedLimits(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
            return (-1, 1);
        var pad = max > min ? 0.1 * (max - min) : 0.5;
        return (min - pad, max + pad);
    }
}
