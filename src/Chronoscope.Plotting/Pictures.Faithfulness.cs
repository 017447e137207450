using System.Globalization;
using Chronoscope.Explain;
using ScottPlot;

namespace Chronoscope.Plotting;

public static partial class Pictures
{
    private static readonly Color Morf = Color.FromHex("#d62728");   // matplotlib tab:red
    private static readonly Color Lerf = Color.FromHex("#1f77b4");   // tab:blue
    private static readonly Color Control = Color.FromHex("#7f7f7f"); // tab:gray

    /// <summary>
    /// Perturbation curves, one panel per method: the explained class's mean probability against the share of cells
    /// replaced, most relevant first (MoRF, red) and least relevant first (LeRF, blue), with the control method's two
    /// curves thin and grey in every panel (and in a panel of its own unless <see cref="FaithfulnessPlotOptions.ControlPanel"/>
    /// is false); the panel title gives the method and its DS (mean LeRF − MoRF).
    /// </summary>
    public static Figure PlotFaithfulness(IReadOnlyList<FaithfulnessCurves> curves, FaithfulnessPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0)
            throw new ArgumentException("Cannot draw faithfulness curves of no method: expected at least one.", nameof(curves));
        options ??= new FaithfulnessPlotOptions();
        var control = curves.FirstOrDefault(c => c.Method == options.ControlMethod);
        if (!options.ControlPanel && curves.Any(c => c.Method != options.ControlMethod))
            curves = [.. curves.Where(c => c.Method != options.ControlMethod)];
        var grid = GridShape.For(curves.Count);
        var width = Theme.Pixels(options.WidthInches ?? 4 * grid.Columns);
        var height = Theme.Pixels(options.HeightInches ?? 3 * grid.Rows);
        var panels = new List<FigurePanel>();
        for (var i = 0; i < curves.Count; i++)
        {
            var c = curves[i];
            var plot = Theme.NewPlot();
            var xs = new[] { 0.0 }.Concat(c.Fractions.Select(f => f * 100)).ToArray();
            var start = c.Original.Average();
            if (control is not null && !ReferenceEquals(control, c))
            {
                AddCurve(plot, xs, start, control.Mean(control.MostRelevantFirst), Control, 1);
                AddCurve(plot, xs, start, control.Mean(control.LeastRelevantFirst), Control, 1).LinePattern = LinePattern.Dashed;
            }
            AddCurve(plot, xs, start, c.Mean(c.MostRelevantFirst), Morf, 2);
            AddCurve(plot, xs, start, c.Mean(c.LeastRelevantFirst), Lerf, 2);
            plot.Axes.SetLimits(0, xs[^1], 0, 1.02);
            plot.Axes.Bottom.Label.Text = "% of cells replaced";
            plot.Axes.Left.Label.Text = "probability";
            var ds = FaithfulnessScores.Of(c).Ds;
            Theme.Title(plot, string.Create(CultureInfo.InvariantCulture, $"{c.Method} - DS {ds:0.000}"));
            // One row below the axes, the same in every panel: inside them, any corner hides some method's curve.
            plot.Legend.FontSize = Theme.LegendSize;
            plot.Legend.ManualItems.Add(LegendLine("MoRF", Morf, 2, LinePattern.Solid));
            plot.Legend.ManualItems.Add(LegendLine("LeRF", Lerf, 2, LinePattern.Solid));
            if (control is not null && !ReferenceEquals(control, c))
                plot.Legend.ManualItems.Add(LegendLine($"{control.Method} (LeRF dashed)", Control, 1, LinePattern.Solid));
            plot.Legend.TightHorizontalWrapping = true;
            plot.ShowLegend(Edge.Bottom);
            plot.Legend.Orientation = Orientation.Horizontal;
            panels.Add(new FigurePanel(plot, Theme.Cell(width, height, grid, i / grid.Columns, i % grid.Columns), i));
        }
        return new Figure(width, height, grid.Rows, grid.Columns, panels);
    }

    private static LegendItem LegendLine(string label, Color color, double points, LinePattern pattern) => new()
    {
        LabelText = label,
        LineColor = color,
        LineWidth = Theme.PointsToPixels(points),
        LinePattern = pattern,
        MarkerShape = MarkerShape.None,
    };

    private static ScottPlot.Plottables.Scatter AddCurve(Plot plot, double[] xs, double start, double[] mean, Color color, double points)
    {
        var ys = new[] { start }.Concat(mean).ToArray();
        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = Theme.PointsToPixels(points);
        line.MarkerSize = 0;
        return line;
    }
}
