using ScottPlot;

namespace Chronoscope.Plotting;

public static partial class Pictures
{
    /// <summary>Height of one channel's strip when the figure's height is not given, in inches.</summary>
    private const double StripInches = 0.25;

    /// <summary>Room for the title, the time axis and its label around the strips of one item, in inches.</summary>
    private const double StripFrameInches = 1.4;

    /// <summary>
    /// The heat-strip view (<see cref="CamView.Strips"/>): per item one panel of one strip per channel, channel 0 on top,
    /// cell (c, t) in the colour of the map that colours channel c at step t (a time-only map colours every strip
    /// alike); grey where there is no value (a step past the item's end, or a map that is not finite). The channel
    /// names label the strips on the left; one colour bar per panel, labelled as the lines view's.
    /// </summary>
    private static Figure DrawCamStrips(CamBatch batch, IReadOnlyList<CamItem> items, int channels, ColorScale scale, CamPlotOptions options)
    {
        var grid = options.Layout == CamLayout.Grid ? GridShape.For(items.Count) : new GridShape(items.Count, 1);
        var width = Theme.Pixels(options.WidthInches ?? (options.Layout == CamLayout.Grid ? 13 : 6));
        var height = Theme.Pixels(options.HeightInches ?? (grid.Rows * Math.Max(2.5, StripFrameInches + (StripInches * channels))));
        var length = items.Max(item => item.Length);

        // Label every channel while the labels fit their strips; else every k-th, so that no two overlap.
        var stripPixels = Math.Max(1.0, ((double)height / grid.Rows - Theme.Pixels(StripFrameInches)) / channels);
        var labelEvery = Math.Max(1, (int)Math.Ceiling(Theme.TickSize * 1.3 / stripPixels));
        var ticks = Enumerable.Range(0, channels).Where(c => c % labelEvery == 0).ToArray();

        var panels = new List<FigurePanel>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var cells = new double[channels, length]; // (C, T), row 0 drawn on top
            for (var c = 0; c < channels; c++)
            {
                var map = item.MapOf(c);
                for (var t = 0; t < length; t++)
                    cells[c, t] = t < map.Length && float.IsFinite(map[t]) ? map[t] : double.NaN;
            }

            var plot = Theme.NewPlot();
            var heatmap = plot.Add.Heatmap(cells);
            heatmap.Colormap = scale;
            heatmap.ManualRange = new ScottPlot.Range(scale.Low, scale.High);
            heatmap.NaNCellColor = Colors.LightGray;
            heatmap.Rectangle = new CoordinateRect(-0.5, length - 0.5, -0.5, channels - 0.5);
            for (var c = 1; c < channels; c++)
            {
                // a thin white rule between strips keeps neighbouring channels apart
                var rule = plot.Add.HorizontalLine(channels - c - 0.5);
                rule.Color = Colors.White;
                rule.LineWidth = 1;
            }
            plot.Axes.SetLimits(-0.5, length - 0.5, -0.5, channels - 0.5);
            plot.Axes.Left.SetTicks([.. ticks.Select(c => (double)(channels - 1 - c))], [.. ticks.Select(batch.ChannelName)]);
            plot.Axes.Left.MajorTickStyle.Length = 0;
            plot.HideGrid();
            plot.Axes.Bottom.Label.Text = "time step";

            var title = $"[{item.ClassName}] - {batch.Method}";
            if (item.Confidence is { } p)
                title += $" - {Percent(p)}";
            Theme.Title(plot, title);
            var bar = AddColorBar(plot, scale, options.ColorBarLabel ?? batch.Method);
            // a tall bar: ticks at least 40 pixels apart, not a label every 0.05
            ((ScottPlot.TickGenerators.NumericAutomatic)bar.Axis.TickGenerator).MinimumTickSpacing = 40;
            panels.Add(new FigurePanel(plot, Theme.Cell(width, height, grid, i / grid.Columns, i % grid.Columns), i));
        }
        return new Figure(width, height, grid.Rows, grid.Columns, panels);
    }
}
