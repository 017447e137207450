using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Explain;
using ScottPlot;

namespace Chronoscope.Plotting;

public static partial class Pictures
{
    private static readonly Color QueryColor = Color.FromHex("#1f77b4");          // tab:blue
    private static readonly Color CounterfactualColor = Color.FromHex("#d62728"); // tab:red
    private static readonly Color WindowShade = Color.FromHex("#ff7f0e").WithAlpha(0.18);

    /// <summary>
    /// A counterfactual over its query: the query as read (blue), the values copied from its nearest unlike neighbour
    /// (red, over the changed window, joined to the query at both ends), the window shaded. Title:
    /// <c>[Gun → Point] p(Point) 2.1% → 87.3%</c>, then the window, its share of the series and the map that placed it; a
    /// query without counterfactual says so, with the probability the whole neighbour reached. A multichannel series gets
    /// one panel per channel, top to bottom.
    /// <code>
    /// var results = Counterfactuals.Explain(classifier, train, test, [0, 3]);
    /// Pictures.ShowCounterfactual(results, 0, test, new() { ClassNames = ClassNames.Parse("1=Gun,2=Point") }).SavePng("cf-0.png");
    /// </code>
    /// </summary>
    /// <param name="results">The counterfactuals.</param>
    /// <param name="index">Which of <paramref name="results"/>' items to draw (not the item's index in the data).</param>
    /// <param name="queries">The data the queries came from (item <c>Items[index].Item</c> is drawn from it).</param>
    /// <param name="options">Names and sizes.</param>
    /// <exception cref="ArgumentException"><paramref name="queries"/> does not have the results' shape, or a class name is
    /// for a class the model does not have.</exception>
    public static Figure ShowCounterfactual(CounterfactualResults results, int index, TimeSeriesDataset queries, CounterfactualPlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, results.Items.Count);
        options ??= new CounterfactualPlotOptions();
        if (queries.Channels != results.Channels || queries.Length != results.Length)
            throw new ArgumentException($"expected data of {results.Channels} channel(s) × {results.Length} steps as the counterfactuals, found {queries.Channels} × {queries.Length}.", nameof(queries));
        var counterfactual = results.Items[index];
        if (counterfactual.Item >= queries.Count)
            throw new ArgumentException($"item {counterfactual.Item} is not in the data ({queries.Count} series): is it the data the counterfactuals were made of?", nameof(queries));
        var names = options.ClassNames?.Resolve(results.Classes) ?? results.Classes;

        var (channels, length) = (results.Channels, results.Length);
        var width = Theme.Pixels(options.WidthInches);
        var height = Theme.Pixels(options.HeightInches ?? 4.5 + 2.5 * (channels - 1));
        var cell = new PixelRect(0, width, height, 0);
        var query = queries.Series(counterfactual.Item).ToArray();
        var title = CounterfactualTitle(counterfactual, names, results);
        var xs = Enumerable.Range(0, length).Select(t => (double)t).ToArray();
        var (first, last) = (counterfactual.WindowStart, counterfactual.WindowStart + counterfactual.WindowLength - 1);

        var panels = new List<FigurePanel>();
        for (var c = 0; c < channels; c++)
        {
            var plot = Theme.NewPlot();
            var queryRow = query.AsSpan(c * length, length).ToArray().Select(v => (double)v).ToArray();
            var limits = PaddedLimits(queryRow.Where(double.IsFinite).DefaultIfEmpty(0).Min(), queryRow.Where(double.IsFinite).DefaultIfEmpty(0).Max());
            var values = counterfactual.Values;
            if (values is not null)
            {
                var span = plot.Add.HorizontalSpan(first - 0.5, last + 0.5, WindowShade);
                span.LineWidth = 0;
            }
            var queryLine = plot.Add.ScatterLine(xs, queryRow, QueryColor);
            queryLine.LineWidth = Theme.PointsToPixels(options.LineWidth);
            queryLine.MarkerSize = 0;
            queryLine.LegendText = $"query ({names[counterfactual.Predicted]})";
            if (values is not null)
            {
                // The changed values from one step before the window to one after, so the red line joins the blue.
                var changed = values.AsSpan(c * length, length).ToArray().Select(v => (double)v).ToArray();
                var (from, to) = (Math.Max(0, first - 1), Math.Min(length - 1, last + 1));
                var counterLine = plot.Add.ScatterLine(xs[from..(to + 1)], changed[from..(to + 1)], CounterfactualColor);
                counterLine.LineWidth = Theme.PointsToPixels(options.LineWidth + 1);
                counterLine.MarkerSize = 0;
                counterLine.LegendText = $"counterfactual ({names[counterfactual.Target]})";
                var window = PaddedLimits(changed.Min(), changed.Max());
                limits = (Math.Min(limits.Bottom, window.Bottom), Math.Max(limits.Top, window.Top));
            }

            plot.Axes.SetLimits(0, Math.Max(1, length - 1), limits.Bottom, limits.Top);
            if (c == 0)
            {
                Theme.Title(plot, title);
                plot.Legend.Alignment = Alignment.UpperRight;
                plot.Legend.BackgroundColor = Colors.White.WithAlpha(0.7);
                plot.ShowLegend();
            }
            if (channels > 1)
                plot.Axes.Left.Label.Text = $"ch{c}";
            if (c == channels - 1)
                plot.Axes.Bottom.Label.Text = "time step";
            panels.Add(new FigurePanel(plot, Theme.Band(cell, c, channels), 0));
        }
        return new Figure(width, height, 1, 1, panels);
    }

    /// <summary>
    /// <c>[Gun → Point] p(Point) 2.1% → 87.3%</c> and, found, <c>window 45–78 (23% of the series) · GRAD-CAM - mean</c>;
    /// not found, why.
    /// </summary>
    internal static string CounterfactualTitle(Counterfactual counterfactual, IReadOnlyList<string> names, CounterfactualResults results)
    {
        var target = counterfactual.Target;
        var before = counterfactual.ProbabilitiesBefore[target];
        var head = $"[{names[counterfactual.Predicted]} → {names[target]}] p({names[target]}) {Percent(before)}";
        return counterfactual.Outcome switch
        {
            CounterfactualOutcome.Found => string.Create(CultureInfo.InvariantCulture,
                $"{head} → {Percent(counterfactual.ProbabilitiesAfter![target])}\nwindow {counterfactual.WindowStart}–{counterfactual.WindowStart + counterfactual.WindowLength - 1} ({counterfactual.ChangedShare * 100:0}% of the series) · {results.MapTitle}"),
            CounterfactualOutcome.NotFlipped =>
                $"{head} → {Percent(counterfactual.ProbabilitiesAfter![target])} with the whole neighbour\nno counterfactual: the threshold is {Percent(results.Threshold)}",
            _ => $"{head}\nno counterfactual: no training series of {names[target]} is classified as {names[target]}",
        };
    }
}
