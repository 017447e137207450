using System.Globalization;
using Chronoscope.Training;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Chronoscope.Plotting;

public static partial class Pictures
{
    /// <summary>
    /// Training and validation loss, as fastai's <c>plot_loss</c>: the training loss per iteration (or per epoch) as a
    /// line, the validation loss per epoch as a line with markers at the end of each epoch.
    /// </summary>
    public static Figure PlotLoss(LossHistory history, LossPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(history.TrainLoss);
        ArgumentNullException.ThrowIfNull(history.ValidLoss);
        options ??= new LossPlotOptions();
        var perIteration = history.EpochEndIterations is not null;
        if (perIteration && history.EpochEndIterations!.Length != history.ValidLoss.Length)
            throw new ArgumentException($"Expected one epoch-end iteration per validation loss ({history.ValidLoss.Length}), found {history.EpochEndIterations.Length}.", nameof(history));
        if (history.TrainLoss.Length == 0 && history.ValidLoss.Length == 0)
            throw new ArgumentException("Cannot draw losses: expected at least one training or validation loss, found none.", nameof(history));

        var plot = Theme.NewPlot();
        var skip = Math.Clamp(options.SkipStart, 0, history.TrainLoss.Length);
        if (history.TrainLoss.Length > skip)
        {
            var xs = Enumerable.Range(skip + 1, history.TrainLoss.Length - skip).Select(i => (double)i).ToArray();
            var train = plot.Add.ScatterLine(xs, history.TrainLoss[skip..], Theme.Cycle[0]);
            train.LineWidth = Theme.PointsToPixels(1.5);
            train.MarkerSize = perIteration ? 0 : Theme.PointsToPixels(4);
            train.LegendText = "train";
        }
        if (history.ValidLoss.Length > 0)
        {
            var xs = perIteration
                ? history.EpochEndIterations!.Select(i => (double)i).ToArray()
                : Enumerable.Range(1, history.ValidLoss.Length).Select(i => (double)i).ToArray();
            var valid = plot.Add.ScatterLine(xs, history.ValidLoss, Theme.Cycle[1]);
            valid.LineWidth = Theme.PointsToPixels(1.5);
            valid.MarkerSize = Theme.PointsToPixels(4);
            valid.LegendText = "valid";
        }
        plot.Axes.Bottom.Label.Text = perIteration ? "iteration" : "epoch";
        plot.Axes.Left.Label.Text = "loss";
        Theme.Title(plot, "Loss");
        if (plot.Axes.Bottom.TickGenerator is NumericAutomatic ticks)
            ticks.IntegerTicksOnly = true;
        plot.Legend.Alignment = Alignment.UpperRight;
        plot.ShowLegend();
        return Single(plot, options.WidthInches, options.HeightInches);
    }

    /// <summary>
    /// The learning-rate finder's curve, as fastai's <c>plot_lr_find</c>: loss against learning rate on a logarithmic
    /// axis (ticks at powers of ten). The suggested rate (<see cref="LearningRateFinderResult.Valley"/>) is marked by a red
    /// point and a light vertical line, the other suggestions by points of their own; each has its name and value in the legend.
    /// </summary>
    public static Figure PlotLearningRateFinder(LearningRateFinderResult result, LearningRateFinderPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(result.LearningRates);
        ArgumentNullException.ThrowIfNull(result.Losses);
        options ??= new LearningRateFinderPlotOptions();
        if (result.LearningRates.Count != result.Losses.Count)
            throw new ArgumentException($"Expected one loss per learning rate ({result.LearningRates.Count}), found {result.Losses.Count}.", nameof(result));
        foreach (var rate in result.LearningRates)
        {
            if (!(rate > 0) || !double.IsFinite(rate))
                throw new ArgumentException($"Expected finite learning rates > 0 for a logarithmic axis, found {rate}.", nameof(result));
        }
        var start = Math.Max(0, options.SkipStart);
        var end = result.LearningRates.Count - Math.Max(0, options.SkipEnd);
        if (end - start < 2) // too short to skip: keep everything
            (start, end) = (0, result.LearningRates.Count);
        if (end - start < 1)
            throw new ArgumentException("Cannot draw a learning-rate finder curve of no point.", nameof(result));

        var plot = Theme.NewPlot();
        var logRates = result.LearningRates.Take(end).Skip(start).Select(Math.Log10).ToArray();
        var losses = result.Losses.Take(end).Skip(start).ToArray();
        var curve = plot.Add.ScatterLine(logRates, losses, Theme.Cycle[0]);
        curve.LineWidth = Theme.PointsToPixels(1.5);
        curve.MarkerSize = 0;
        curve.LegendText = "loss";

        var marks = new List<(string Name, double Rate, Color Color)> { ("valley", result.Valley, Theme.WrongPrediction) };
        if (options.MarkAllSuggestions)
        {
            marks.Add(("minimum/10", result.MinimumOverTen, Theme.Cycle[2]));
            marks.Add(("steepest", result.Steepest, Theme.Cycle[4]));
        }
        foreach (var (name, rate, color) in marks)
        {
            if (!(rate > 0) || !double.IsFinite(rate))
                throw new ArgumentException($"Expected a suggested learning rate ({name}) > 0, found {rate}.", nameof(result));
            var x = Math.Log10(rate);
            if (name == "valley")
            {
                // Solid and light rather than dashed: Skia's SVG canvas has no dashes (it draws them solid and complains on stderr).
                var line = plot.Add.VerticalLine(x, Theme.PointsToPixels(1), color.WithAlpha(0.5));
                line.LegendText = "";
            }
            var marker = plot.Add.Marker(x, Interpolate(logRates, losses, x), MarkerShape.FilledCircle, Theme.PointsToPixels(7), color);
            marker.LegendText = $"{name} {rate.ToString("0.0e+00", CultureInfo.InvariantCulture)}";
        }
        var ticks = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            LabelFormatter = PowerOfTen,
            MinorTickGenerator = new LogMinorTickGenerator(),
        };
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.Label.Text = "learning rate";
        plot.Axes.Left.Label.Text = "loss";
        Theme.Title(plot, "Learning rate finder");
        plot.Legend.Alignment = Alignment.UpperLeft;
        plot.ShowLegend();
        return Single(plot, options.WidthInches, options.HeightInches);
    }

    /// <summary>
    /// The schedule a scheduler followed, as fastai's <c>plot_sched</c>: learning rate and momentum against iteration,
    /// in two panels side by side, or one above the other with <see cref="SchedulePlotOptions.Stacked"/> (one panel when
    /// there is no momentum).
    /// </summary>
    public static Figure PlotSchedule(ScheduleHistory history, SchedulePlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(history.LearningRates);
        options ??= new SchedulePlotOptions();
        if (history.LearningRates.Length == 0)
            throw new ArgumentException("Cannot draw a schedule of no iteration.", nameof(history));
        if (history.Momentums is { } m && m.Length != history.LearningRates.Length)
            throw new ArgumentException($"Expected one momentum per iteration ({history.LearningRates.Length}), found {m.Length}.", nameof(history));

        var curves = new List<(string Name, double[] Values)> { ("learning rate", history.LearningRates) };
        if (history.Momentums is not null)
            curves.Add(("momentum", history.Momentums));
        var grid = options.Stacked ? new GridShape(curves.Count, 1) : new GridShape(1, curves.Count);
        var width = Theme.Pixels(options.WidthInches);
        var height = Theme.Pixels(options.HeightInches);
        var panels = new List<FigurePanel>();
        for (var i = 0; i < curves.Count; i++)
        {
            var plot = Theme.NewPlot();
            var xs = Enumerable.Range(0, curves[i].Values.Length).Select(t => (double)t).ToArray();
            var line = plot.Add.ScatterLine(xs, curves[i].Values, Theme.Cycle[i]);
            line.LineWidth = Theme.PointsToPixels(1.5);
            line.MarkerSize = 0;
            plot.Axes.Bottom.Label.Text = "iteration";
            plot.Axes.Left.Label.Text = curves[i].Name;
            Theme.Title(plot, curves[i].Name);
            if (plot.Axes.Bottom.TickGenerator is NumericAutomatic ticks)
                ticks.IntegerTicksOnly = true;
            var (row, column) = options.Stacked ? (i, 0) : (0, i);
            panels.Add(new FigurePanel(plot, Theme.Cell(width, height, grid, row, column), i));
        }
        return new Figure(width, height, grid.Rows, grid.Columns, panels);
    }

    /// <summary>
    /// A confusion matrix, as fastai's <c>plot_confusion_matrix</c>: actual classes down, predicted across, each cell
    /// coloured by its count (colour bar beside) and labelled with it.
    /// </summary>
    public static Figure PlotConfusionMatrix(ConfusionCounts matrix, ConfusionMatrixPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(matrix.Counts);
        ArgumentNullException.ThrowIfNull(matrix.ClassNames);
        options ??= new ConfusionMatrixPlotOptions();
        var k = matrix.ClassNames.Count;
        if (k == 0 || matrix.Counts.GetLength(0) != k || matrix.Counts.GetLength(1) != k)
            throw new ArgumentException($"Expected a {k} × {k} matrix for {k} classes, found {matrix.Counts.GetLength(0)} × {matrix.Counts.GetLength(1)}.", nameof(matrix));

        var max = 0;
        foreach (var count in matrix.Counts)
        {
            if (count < 0)
                throw new ArgumentException($"Expected counts ≥ 0, found {count}.", nameof(matrix));
            max = Math.Max(max, count);
        }
        var scale = new ColorScale(Colormap.Get(options.Colormap), 0, Math.Max(1, max));
        var plot = Theme.NewPlot();
        var intensities = new double[k, k];
        for (var actual = 0; actual < k; actual++)
        {
            for (var predicted = 0; predicted < k; predicted++)
                intensities[actual, predicted] = matrix.Counts[actual, predicted];
        }
        // Row 0 (the first actual class) on top: cell (actual, predicted) is centred on x = predicted, y = k − 1 − actual.
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Colormap = scale;
        heatmap.ManualRange = new ScottPlot.Range(scale.Low, scale.High);
        heatmap.Rectangle = new CoordinateRect(-0.5, k - 0.5, -0.5, k - 0.5); // the outer edges of the cells
        using var tickFont = new SkiaSharp.SKFont(EmbeddedFont.Typeface(), Theme.TickSize);
        using var countFont = new SkiaSharp.SKFont(EmbeddedFont.Typeface(), Theme.LabelSize);
        // A cell's side, estimated from the figure (the matrix takes about 60% of its width and 75% of its height):
        // counts are written where they fit, and tick labels thinned where they would overlap (60 classes drew a
        // black square of digits).
        var cell = Math.Min(Theme.Pixels(options.WidthInches) * 0.6, Theme.Pixels(options.HeightInches) * 0.75) / k;
        if (cell >= countFont.MeasureText(max.ToString(CultureInfo.InvariantCulture)) + 4 && cell >= Theme.LabelSize + 2)
        {
            for (var actual = 0; actual < k; actual++)
            {
                for (var predicted = 0; predicted < k; predicted++)
                {
                    var count = matrix.Counts[actual, predicted];
                    var colour = scale.ColorOf(count);
                    var text = plot.Add.Text(count.ToString(CultureInfo.InvariantCulture), predicted, k - 1 - actual);
                    text.LabelFontName = EmbeddedFont.FamilyName;
                    text.LabelFontSize = Theme.LabelSize;
                    text.LabelAlignment = Alignment.MiddleCenter;
                    text.LabelFontColor = colour.Luminance < 0.5 ? Colors.White : Colors.Black;
                }
            }
        }
        string[] names = [.. matrix.ClassNames.Select(name => name.Length <= MaxTickNameLength ? name
            : name[..(char.IsHighSurrogate(name[MaxTickNameLength - 2]) ? MaxTickNameLength - 2 : MaxTickNameLength - 1)] + "…")];
        var widest = names.Max(name => tickFont.MeasureText(name));
        // Names wider than their column overlap: turned upright, as fastai's plot_confusion_matrix turns them.
        var upright = widest > cell;
        if (upright)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = -90;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            // ScottPlot sizes the axis for level labels: room for the turned ones and the axis label below them.
            plot.Axes.Bottom.MinimumSize = widest + 2 * Theme.LabelSize + 12;
        }
        var rowStep = (int)Math.Ceiling((Theme.TickSize + 2) / cell);
        var columnStep = upright ? rowStep : (int)Math.Ceiling((widest + 6) / cell);
        int[] Every(int step) => [.. Enumerable.Range(0, k).Where(i => i % step == 0)];
        plot.Axes.Bottom.SetTicks([.. Every(columnStep).Select(i => (double)i)], [.. Every(columnStep).Select(i => names[i])]);
        plot.Axes.Left.SetTicks([.. Every(rowStep).Select(i => (double)(k - 1 - i))], [.. Every(rowStep).Select(i => names[i])]);
        plot.Axes.Bottom.Label.Text = "Predicted";
        plot.Axes.Left.Label.Text = "Actual";
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.HideGrid();
        Theme.Title(plot, options.Title);
        var bar = plot.Add.ColorBar(scale);
        bar.Label = "count";
        bar.LabelStyle.FontName = EmbeddedFont.FamilyName;
        bar.LabelStyle.FontSize = Theme.LabelSize;
        bar.LabelStyle.Bold = false;
        bar.Axis.TickLabelStyle.FontName = EmbeddedFont.FamilyName;
        bar.Axis.TickLabelStyle.FontSize = Theme.TickSize;
        return Single(plot, options.WidthInches, options.HeightInches);
    }

    // Longer class names are cut in the confusion matrix's ticks (with an ellipsis): the matrix keeps its room.
    private const int MaxTickNameLength = 24;

    private static Figure Single(Plot plot, double widthInches, double heightInches)
    {
        var width = Theme.Pixels(widthInches);
        var height = Theme.Pixels(heightInches);
        return new Figure(width, height, 1, 1, [new FigurePanel(plot, new PixelRect(0, width, height, 0), 0)]);
    }

    /// <summary>Linear interpolation of ys over increasing xs at x (clamped to the ends).</summary>
    private static double Interpolate(double[] xs, double[] ys, double x)
    {
        if (x <= xs[0])
            return ys[0];
        for (var i = 1; i < xs.Length; i++)
        {
            if (x <= xs[i])
                return ys[i - 1] + ((ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1]));
        }
        return ys[^1];
    }

    /// <summary>10 to an integer power with superscript digits: −3 → 10⁻³.</summary>
    private static string PowerOfTen(double exponent)
    {
        const string superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var n = (int)Math.Round(exponent);
        var digits = Math.Abs(n).ToString(CultureInfo.InvariantCulture).Select(d => superscripts[d - '0']);
        return "10" + (n < 0 ? "⁻" : "") + string.Concat(digits);
    }
}
