using System.Globalization;
using Chronoscope.Explain;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Chronoscope.Plotting;

public static partial class Pictures
{
    /// <summary>
    /// Series coloured by their class activation maps, as the Python package's <c>show_cam</c>, with its bugs fixed.
    /// Each series is drawn as L − 1 segments, segment i (t = i to i + 1) in the colour of map[i] on the scale
    /// [<see cref="CamBatch.Low"/>, <see cref="CamBatch.High"/>] (or as points, <see cref="CamPlotOptions.Scatter"/>);
    /// a colour bar shows the scale. Overlay title: <c>[Gun - Point] - GRAD-CAM - mean</c> (the item classes, then
    /// <see cref="CamBatch.Method"/>), then the confidences as percentages on a second line; grid panel titles:
    /// <c>[Point] - GRAD-CAM - mean</c>. x runs over 0..L−1; y over the
    /// data range of every item plus 10% of it on each side (the reference's <c>ylim(min·1.2, max·1.2)</c> is the
    /// same for data centred on 0, but cuts off data whose minimum is positive or maximum negative).
    /// A multichannel series gets one panel per channel (named by <see cref="CamBatch.ChannelNames"/>, else <c>ch0</c>,
    /// <c>ch1</c>, …, top to bottom), each coloured by its own row of a channel × time map (input attributions), or by the
    /// same map for the time-only CAM family (whose title then says "time-only"); one colour scale is shared by every
    /// panel. Above <see cref="CamPlotOptions.MaxLineChannels"/> channels (or with <see cref="CamView.Strips"/>) each item
    /// is drawn as heat strips instead, one per channel (see <see cref="CamPlotOptions.View"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An item's arrays disagree, items differ in channels, the range is not
    /// finite, or the colormap is unknown.</exception>
    public static Figure ShowCam(CamBatch batch, CamPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return DrawCam(batch, options ?? new CamPlotOptions());
    }

    /// <summary>
    /// The maps an <see cref="Explainer"/> computed, over the series they carry, drawn as
    /// <see cref="ShowCam(CamBatch, CamPlotOptions?)"/> does (see <see cref="CamBatch.FromMaps"/> for what is drawn):
    /// <code>
    /// var maps = new Explainer(classifier).Explain(data, [0, 3], new() { Method = MapMethod.GradCam });
    /// Pictures.ShowCam(maps, new CamPlotOptions { ClassNames = ClassNames.Parse("1=Gun,2=Point"), ShowConfidence = true }).SavePng("cam.png");
    /// </code>
    /// </summary>
    /// <exception cref="ArgumentException">A class name is for a class the model does not have, or an option is out of range.</exception>
    public static Figure ShowCam(ActivationMaps maps, CamPlotOptions? options = null)
    {
        options ??= new CamPlotOptions();
        return DrawCam(CamBatch.FromMaps(maps, options.ClassNames, options.ShowConfidence), options);
    }

    private static Figure DrawCam(CamBatch batch, CamPlotOptions options)
    {
        var items = batch.Items ?? throw new ArgumentException("The CAM batch has no item list.", nameof(batch));
        if (items.Count == 0)
            throw new ArgumentException("Cannot draw a class activation map picture of no item: expected at least one.", nameof(batch));
        for (var i = 0; i < items.Count; i++)
            (items[i] ?? throw new ArgumentException($"CAM item {i} is null: expected an item.", nameof(batch))).Validate(i);
        if (!Enum.IsDefined(options.View) || !Enum.IsDefined(options.Layout))
            throw new ArgumentException($"Expected a View of {string.Join(", ", Enum.GetNames<CamView>())} and a Layout of {string.Join(", ", Enum.GetNames<CamLayout>())}, found {options.View} and {options.Layout}.", nameof(options));
        var channels = items[0].Channels;
        for (var i = 1; i < items.Count; i++)
        {
            if (items[i].Channels != channels)
                throw new ArgumentException($"CAM item {i}: expected {channels} channels as item 0, found {items[i].Channels}.", nameof(batch));
        }
        if (!double.IsFinite(batch.Low) || !double.IsFinite(batch.High) || batch.Low > batch.High)
            throw new ArgumentException($"Expected a finite colour range with low ≤ high, found [{batch.Low}, {batch.High}].", nameof(batch));
        if (!(options.Alpha >= 0 && options.Alpha <= 1))
            throw new ArgumentException($"Expected an alpha in [0, 1], found {options.Alpha}.", nameof(options));
        if (options.MaxColoredSegments is < 1)
            throw new ArgumentException($"Expected at least 1 colour per line (MaxColoredSegments), found {options.MaxColoredSegments}.", nameof(options));
        if (batch.ChannelNames is { } channelNames && channelNames.Count != channels)
            throw new ArgumentException($"Expected {channels} channel names, one per channel, found {channelNames.Count}.", nameof(batch));

        var colormap = Colormap.Get(options.Colormap);
        // A flat range (every raw value equal) has no scale: centre it so the value takes the middle colour.
        var (low, high) = batch.High > batch.Low ? (batch.Low, batch.High) : (batch.Low - 0.5, batch.High + 0.5);
        var scale = new ColorScale(colormap, low, high);
        var strips = options.View == CamView.Strips || (options.View == CamView.Auto && channels > CamPlotOptions.MaxLineChannels);
        if (strips)
            return DrawCamStrips(batch, items, channels, scale, options);

        var grid = options.Layout == CamLayout.Grid ? GridShape.For(items.Count) : new GridShape(1, 1);
        var width = Theme.Pixels(options.WidthInches ?? (options.Layout == CamLayout.Grid ? 13 : 6));
        var height = Theme.Pixels(options.HeightInches ?? (grid.Rows * Math.Max(4, channels * 2.0)));
        var length = items.Max(item => item.Length);
        var limits = Enumerable.Range(0, channels).Select(c => ChannelLimits(items, c)).ToArray();

        var panels = new List<FigurePanel>();
        if (options.Layout == CamLayout.Overlay)
        {
            var title = $"[{string.Join(" - ", items.Select(item => item.ClassName))}] - {batch.Method}";
            if (items.Any(item => item.Confidence is not null))
                title += "\nconfidence " + string.Join(" - ", items.Select(item => item.Confidence is { } p ? Percent(p) : "n/a"));
            AddCamCell(panels, items, 0, Theme.Cell(width, height, grid, 0, 0), title, channels, length, limits, scale, batch, options);
        }
        else
        {
            for (var i = 0; i < items.Count; i++)
            {
                var title = $"[{items[i].ClassName}] - {batch.Method}";
                if (items[i].Confidence is { } p)
                    title += $" - {Percent(p)}";
                var cell = Theme.Cell(width, height, grid, i / grid.Columns, i % grid.Columns);
                AddCamCell(panels, [items[i]], i, cell, title, channels, length, limits, scale, batch, options);
            }
        }
        return new Figure(width, height, grid.Rows, grid.Columns, panels);
    }

    private static void AddCamCell(
        List<FigurePanel> panels, IReadOnlyList<CamItem> items, int cellIndex, PixelRect cell, string title, int channels,
        int length, (double Bottom, double Top)[] limits, ColorScale scale, CamBatch batch, CamPlotOptions options)
    {
        var lineWidth = Theme.PointsToPixels(options.LineWidth);
        var alpha = options.Alpha;
        for (var c = 0; c < channels; c++)
        {
            var plot = Theme.NewPlot();
            foreach (var item in items)
            {
                var ys = item.Channel(c).ToArray().Select(v => (double)v).ToArray();
                var xs = Enumerable.Range(0, ys.Length).Select(t => (double)t).ToArray();
                IPlottable line = options.Scatter
                    ? new ColoredMarkersPlot(xs, ys, [.. item.MapOf(c).Select(v => WithAlpha(MapColor(scale, v), alpha))], Theme.PointsToPixels(options.MarkerSize))
                    : ColoredLine(xs, ys, item.MapOf(c), scale, lineWidth, alpha, options.LineStyle, options.MaxColoredSegments);
                plot.Add.Plottable(line);
            }
            plot.Axes.SetLimits(0, Math.Max(1, length - 1), limits[c].Bottom, limits[c].Top);
            if (c == 0)
                Theme.Title(plot, title);
            if (channels > 1)
                plot.Axes.Left.Label.Text = batch.ChannelName(c);
            if (c == channels - 1)
                plot.Axes.Bottom.Label.Text = "time step";
            // one label per stack of channel panels: the bars are the same
            AddColorBar(plot, scale, c == channels / 2 ? options.ColorBarLabel ?? batch.Method : null);
            panels.Add(new FigurePanel(plot, Theme.Band(cell, c, channels), cellIndex));
        }
    }

    /// <summary>
    /// The line of a series coloured by its map: segment i in the colour of map[i] (L values colour L − 1 segments, the
    /// last value is unused, as in matplotlib); with <paramref name="maxColors"/> below L − 1, runs of ⌈(L − 1) / max⌉
    /// segments in the colour of their mean map value.
    /// </summary>
    internal static ColoredLinePlot ColoredLine(double[] xs, double[] ys, IReadOnlyList<float> map, ColorScale scale, float lineWidth, double alpha, SeriesLineStyle style, int? maxColors)
    {
        var segments = Math.Max(0, xs.Length - 1);
        var run = maxColors is { } max && max >= 1 && segments > max ? (segments + max - 1) / max : 1;
        var colors = new Color[(segments + run - 1) / run];
        for (var j = 0; j < colors.Length; j++)
        {
            double sum = 0;
            var count = 0;
            for (var i = j * run; i < Math.Min(segments, (j + 1) * run); i++)
            {
                if (float.IsFinite(map[i]))
                {
                    sum += map[i];
                    count++;
                }
            }
            colors[j] = WithAlpha(MapColor(scale, count == 0 ? double.NaN : sum / count), alpha);
        }
        return new ColoredLinePlot(xs, ys, colors, lineWidth, style, run);
    }

    /// <summary>The colour of a map value on <paramref name="scale"/>; grey where there is no value (NaN), so the series still shows.</summary>
    private static Color MapColor(ColorScale scale, double value) => double.IsNaN(value) ? Colors.Gray : scale.ColorOf(value);

    private static Color WithAlpha(Color color, double alpha) => color.A == 0 ? color : color.WithAlpha(alpha);

    /// <summary>
    /// A colour bar tick: a plain decimal (<c>0.25</c>), or <c>5e-5</c> for values below 0.001 or from 100,000 in size
    /// (raw Grad-CAM values are often around 1e-5, which the default format writes as <c>5E-05</c>).
    /// </summary>
    /// <summary>A colour bar for <paramref name="scale"/> in the pictures' font, its ticks written as map values.</summary>
    internal static ScottPlot.Panels.ColorBar AddColorBar(Plot plot, ColorScale scale, string? label)
    {
        var bar = plot.Add.ColorBar(scale);
        if (label is not null)
            bar.Label = label;
        bar.LabelStyle.FontName = EmbeddedFont.FamilyName;
        bar.LabelStyle.FontSize = Theme.LabelSize;
        bar.LabelStyle.Bold = false;
        bar.Axis.TickGenerator = new NumericAutomatic { LabelFormatter = ScaleTick };
        bar.Axis.TickLabelStyle.FontName = EmbeddedFont.FamilyName;
        bar.Axis.TickLabelStyle.FontSize = Theme.TickSize;
        return bar;
    }

    internal static string ScaleTick(double value)
    {
        var size = Math.Abs(value);
        if (size < 1e-15)
            return "0"; // the zero tick of a small range, computed as ±1e-21 or so
        return size is < 1e-3 or >= 1e5
            ? value.ToString("0.##e0", CultureInfo.InvariantCulture)
            : value.ToString("0.####", CultureInfo.InvariantCulture);
    }

    private static (double Bottom, double Top) ChannelLimits(IReadOnlyList<CamItem> items, int channel)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var item in items)
        {
            foreach (var v in item.Channel(channel))
            {
                if (!float.IsFinite(v))
                    continue;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
        return PaddedLimits(min, max);
    }
}
