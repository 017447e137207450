using Chronoscope.Data;
using Chronoscope.Inference;
using ScottPlot;

namespace Chronoscope.Plotting;

public static partial class Pictures
{
    /// <summary>
    /// A grid of series titled by their labels, as fastai's <c>show_batch</c>: the first
    /// <see cref="SeriesGridOptions.MaxItems"/> series in rows = ⌊√n⌋, columns = ⌈n / rows⌉ (3 × 3 for 9); a
    /// univariate series is one orange line, a multichannel one a line per channel with a legend <c>ch0, ch1, …</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No series, a series whose values are not C × T, or a channel that does not exist.</exception>
    public static Figure ShowBatch(IReadOnlyList<LabelledSeries> series, SeriesGridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        return SeriesGrid(series.Select(s => (s.Values, s.Channels, s.Label, (Color?)null)).ToArray(), options ?? new SeriesGridOptions());
    }

    /// <summary>
    /// The same grid for series of a dataset: the series at <paramref name="indices"/> (default: the first ones), each
    /// drawn as read, to its true length, and titled by its label (named through <see cref="SeriesGridOptions.ClassNames"/>,
    /// by index into the dataset's classes; empty for unlabelled data).
    /// </summary>
    public static Figure ShowBatch(TimeSeriesDataset dataset, IReadOnlyList<int>? indices = null, SeriesGridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new SeriesGridOptions();
        indices ??= [.. Enumerable.Range(0, Math.Min(dataset.Count, options.MaxItems))];
        var names = options.ClassNames?.Resolve(dataset.Classes) ?? dataset.Classes;
        var cells = new List<LabelledSeries>();
        foreach (var index in indices.Take(options.MaxItems))
        {
            CheckIndex(dataset, index, nameof(indices));
            var label = dataset.LabelIndices is { } labels ? names[labels[index]] : "";
            cells.Add(new LabelledSeries(dataset.SeriesAsRead(index), dataset.Channels, label));
        }
        return ShowBatch(cells, options);
    }

    /// <summary>
    /// The first batch a loader hands out, as fastai's <c>dls.show_batch()</c>: for a training loader the first batch
    /// of its first (shuffled) epoch, for any other the first series in order; drawn as read (before normalization).
    /// </summary>
    public static Figure ShowBatch(DataLoader loader, SeriesGridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loader);
        if (loader.Count == 0)
            throw new ArgumentException("Cannot draw a batch of an empty loader: expected at least one series.", nameof(loader));
        return ShowBatch(loader.Dataset, loader.BatchIndices(0)[0], options);
    }

    /// <summary>
    /// Predictions over the series they were made for, as fastai's <c>show_results</c>: series <paramref name="indices"/>
    /// of <paramref name="data"/> (default: the first ones) titled <c>predicted / target</c>, wrong ones in red; for
    /// unlabelled data only the prediction. Class names go through <see cref="SeriesGridOptions.ClassNames"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="data"/> has another number of series than <paramref name="predictions"/>, or an index is out of range.</exception>
    public static Figure ShowResults(Predictions predictions, TimeSeriesDataset data, IReadOnlyList<int>? indices = null, SeriesGridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(data);
        if (predictions.Count != data.Count)
            throw new ArgumentException($"Expected the data the predictions were made for: {predictions.Count} predictions, {data.Count} series in {data.Name}.", nameof(data));
        options ??= new SeriesGridOptions();
        indices ??= [.. Enumerable.Range(0, Math.Min(data.Count, options.MaxItems))];
        var names = options.ClassNames?.Resolve(predictions.Classes) ?? predictions.Classes;
        var cells = new List<PredictedSeries>();
        foreach (var index in indices.Take(options.MaxItems))
        {
            CheckIndex(data, index, nameof(indices));
            var target = predictions.Targets is { } targets ? names[targets[index]] : null;
            cells.Add(new PredictedSeries(data.SeriesAsRead(index), data.Channels, names[predictions.Predicted[index]], target));
        }
        return ShowResults(cells, options);
    }

    private static void CheckIndex(TimeSeriesDataset dataset, int index, string parameter)
    {
        if (index < 0 || index >= dataset.Count)
            throw new ArgumentException($"Expected series indices in 0..{dataset.Count - 1} of {dataset.Name}, found {index}.", parameter);
    }

    /// <summary>
    /// Predictions over their series, as fastai's <c>show_results</c>: the grid of <see cref="ShowBatch(IReadOnlyList{LabelledSeries}, SeriesGridOptions?)"/>
    /// titled <c>predicted / target</c>, wrong predictions with a red title (only <c>predicted</c> when the target is unknown).
    /// </summary>
    public static Figure ShowResults(IReadOnlyList<PredictedSeries> results, SeriesGridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        return SeriesGrid(
            results.Select(r => (r.Values, r.Channels, r.Target is null ? r.Predicted : $"{r.Predicted} / {r.Target}",
                r.IsCorrect || r.Target is null ? (Color?)null : Theme.WrongPrediction)).ToArray(),
            options ?? new SeriesGridOptions());
    }

    private static Figure SeriesGrid(IReadOnlyList<(float[] Values, int Channels, string Title, Color? TitleColor)> all, SeriesGridOptions options)
    {
        if (options.MaxItems < 1)
            throw new ArgumentException($"Expected MaxItems ≥ 1, found {options.MaxItems}.", nameof(options));
        var cells = all.Take(options.MaxItems).ToArray();
        if (cells.Length == 0)
            throw new ArgumentException("Cannot draw a grid of no series: expected at least one.", nameof(all));
        var grid = GridShape.For(cells.Length);
        var width = Theme.Pixels(options.WidthInches);
        var height = Theme.Pixels(options.HeightInches ?? (4.0 * grid.Rows));
        var lineWidth = Theme.PointsToPixels(options.LineWidth);
        var panels = new List<FigurePanel>();
        for (var i = 0; i < cells.Length; i++)
        {
            var (values, channels, title, titleColor) = cells[i];
            ArgumentNullException.ThrowIfNull(values);
            if (channels < 1 || values.Length % channels != 0)
                throw new ArgumentException($"Series {i}: expected C × T values with C = {channels} ≥ 1, found {values.Length} values.", nameof(all));
            var length = values.Length / channels;
            var shown = options.Channels ?? [.. Enumerable.Range(0, channels)];
            if (shown.Where(c => c < 0 || c >= channels).Select(c => (int?)c).FirstOrDefault() is { } bad)
                throw new ArgumentException($"Series {i}: expected channels in 0..{channels - 1}, found {bad}.", nameof(options));

            var plot = Theme.NewPlot();
            var xs = Enumerable.Range(0, length).Select(t => (double)t).ToArray();
            foreach (var c in shown)
            {
                var ys = values.AsSpan(c * length, length).ToArray().Select(v => (double)v).ToArray();
                var line = plot.Add.ScatterLine(xs, ys, channels == 1 ? Theme.SingleSeries : Theme.Cycle[c % Theme.Cycle.Length]);
                line.LineWidth = lineWidth;
                line.MarkerSize = 0;
                if (channels > 1)
                    line.LegendText = $"ch{c}";
            }
            if (channels > 1 && options.Legend)
            {
                plot.Legend.Alignment = Alignment.UpperRight;
                plot.Legend.Orientation = Orientation.Horizontal;
                plot.Legend.BackgroundColor = Colors.White.WithAlpha(0.5);
                plot.ShowLegend();
            }
            Theme.Title(plot, title, titleColor);
            if (titleColor is not null)
                plot.Axes.Title.Label.Bold = true;
            plot.Axes.SetLimitsX(0, Math.Max(1, length - 1));
            plot.Axes.AutoScaleY();
            plot.Axes.Margins(horizontal: 0, vertical: 0.1);
            panels.Add(new FigurePanel(plot, Theme.Cell(width, height, grid, i / grid.Columns, i % grid.Columns), i));
        }
        return new Figure(width, height, grid.Rows, grid.Columns, panels);
    }
}
