using System.Globalization;
using Chronoscope.Explain;
using ScottPlot;

namespace Chronoscope.Plotting;

public static partial class Pictures
{
    private const double MapShare = 0.4;     // of the figure's height, for the map panel under the series...
    private const double MapMostInches = 1.8; // ...but no taller than this: many channels share the rest

    /// <summary>
    /// Which time steps a class relies on, from a <see cref="ClassMapSummary"/>: above, the class's mean series (as
    /// read) drawn as a line coloured by the class's mean map, with the series' ± one standard deviation as a grey
    /// band (one panel per channel, one colour bar beside the first); below, the mean map itself with ± one standard
    /// deviation as a band, on the same time axis (40% of the height, at most 1.8 inches). A high, narrow band marks steps every series of the class is explained by; a wide one, steps that
    /// matter for some series only. Title: <c>[Gun] - 76 series - GRAD-CAM - mean</c> (the class, its series, the maps' title).
    /// </summary>
    /// <exception cref="ArgumentException">The class has no series in the summary, the colormap is unknown, or a class name does not fit.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is not a class of the summary.</exception>
    public static Figure PlotClassMap(ClassMapSummary summary, int classIndex, ClassMapPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        options ??= new ClassMapPlotOptions();
        var count = summary.Count(classIndex);
        if (count == 0)
            throw new ArgumentException($"Class {summary.Classes[classIndex]} has no series in the summary: nothing to draw.", nameof(classIndex));
        var names = options.ClassNames?.Resolve(summary.Classes) ?? summary.Classes;
        var meanMap = summary.MeanMap(classIndex);
        var mapSpread = summary.MapStandardDeviation(classIndex);
        var meanSeries = summary.MeanSeries(classIndex);
        var seriesSpread = summary.SeriesStandardDeviation(classIndex);
        var length = summary.Length;
        var channels = summary.Channels;
        var (low, high) = summary.High > summary.Low ? (summary.Low, summary.High) : (summary.Low - 0.5, summary.High + 0.5);
        var scale = new ColorScale(Colormap.Get(options.Colormap), low, high);
        var method = summary.Title ?? "map";
        var xs = Enumerable.Range(0, length).Select(t => (double)t).ToArray();

        var width = Theme.Pixels(options.WidthInches);
        var height = Theme.Pixels(options.HeightInches);
        var seriesBottom = (float)(height - Math.Min(height * MapShare, Theme.Pixels(MapMostInches)));
        var panels = new List<FigurePanel>();
        var map = meanMap.Select(v => (float)v).ToArray();
        for (var c = 0; c < channels; c++)
        {
            var plot = Theme.NewPlot();
            var ys = meanSeries.AsSpan(c * length, length).ToArray();
            var spread = seriesSpread.AsSpan(c * length, length).ToArray();
            if (options.ShowSeriesSpread)
                AddBand(plot, xs, ys, spread, Colors.Gray.WithAlpha(0.25));
            plot.Add.Plottable(ColoredLine(xs, ys, map, scale, Theme.PointsToPixels(options.LineWidth), 1, SeriesLineStyle.Solid, null));
            var (bottom, top) = BandLimits(ys, options.ShowSeriesSpread ? spread : null);
            plot.Axes.SetLimits(0, Math.Max(1, length - 1), bottom, top);
            plot.Axes.Left.Label.Text = channels > 1 ? $"ch{c}" : "mean series";
            if (c == 0)
                Theme.Title(plot, $"[{names[classIndex]}] - {count.ToString("N0", CultureInfo.InvariantCulture)} series - {method}");
            if (c == 0)
            {
                // One colour bar, beside the first channel: every channel is coloured by the same map.
                AddColorBar(plot, scale, "mean map");
            }
            var bandHeight = seriesBottom / channels;
            panels.Add(new FigurePanel(plot, new PixelRect(0, width, (c + 1) * bandHeight, c * bandHeight), 0));
        }

        var mapPlot = Theme.NewPlot();
        AddBand(mapPlot, xs, meanMap, mapSpread, Theme.Cycle[0].WithAlpha(0.25));
        var line = mapPlot.Add.ScatterLine(xs, meanMap, Theme.Cycle[0]);
        line.LineWidth = Theme.PointsToPixels(1.5);
        line.MarkerSize = 0;
        line.LegendText = "mean";
        mapPlot.Legend.IsVisible = false;
        var (mapBottom, mapTop) = BandLimits(meanMap, mapSpread);
        if (summary.Scaled)
            (mapBottom, mapTop) = (Math.Min(mapBottom, PaddedLimits(low, high).Bottom), Math.Max(mapTop, PaddedLimits(low, high).Top));
        mapPlot.Axes.SetLimits(0, Math.Max(1, length - 1), mapBottom, mapTop);
        mapPlot.Axes.Left.Label.Text = "map ± sd";
        mapPlot.Axes.Bottom.Label.Text = "time step";
        panels.Add(new FigurePanel(mapPlot, new PixelRect(0, width, height, seriesBottom), 0));
        return new Figure(width, height, 1, 1, panels);
    }

    /// <summary>A band from mean − spread to mean + spread over the steps where both are known.</summary>
    private static void AddBand(Plot plot, double[] xs, double[] mean, double[] spread, Color color)
    {
        var known = Enumerable.Range(0, xs.Length).Where(t => double.IsFinite(mean[t]) && double.IsFinite(spread[t])).ToArray();
        if (known.Length < 2)
            return;
        var band = plot.Add.FillY([.. known.Select(t => xs[t])], [.. known.Select(t => mean[t] - spread[t])], [.. known.Select(t => mean[t] + spread[t])]);
        band.FillColor = color;
        band.LineWidth = 0;
        band.MarkerSize = 0;
    }

    /// <summary>Axis limits around the values, or around mean ± spread when a spread is given, with 10% on each side.</summary>
    private static (double Bottom, double Top) BandLimits(double[] mean, double[]? spread)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (var t = 0; t < mean.Length; t++)
        {
            if (!double.IsFinite(mean[t]))
                continue;
            var s = spread is not null && double.IsFinite(spread[t]) ? spread[t] : 0;
            min = Math.Min(min, mean[t] - s);
            max = Math.Max(max, mean[t] + s);
        }
        return PaddedLimits(min, max);
    }
}
