using Chronoscope.Data;

namespace Chronoscope.Plotting;

/// <summary>How <see cref="Pictures.ShowBatch(IReadOnlyList{LabelledSeries}, SeriesGridOptions?)"/> and <see cref="Pictures.ShowResults(IReadOnlyList{PredictedSeries}, SeriesGridOptions?)"/> draw; defaults from fastai's <c>show_batch</c> and the package's <c>show_timeseries</c>.</summary>
public sealed record SeriesGridOptions
{
    /// <summary>The most series drawn; the rest are left out. Defaults to 9, as <c>show_batch</c>'s <c>max_n</c>.</summary>
    public int MaxItems { get; init; } = 9;

    /// <summary>The channels to draw (indices), or null for all. The package's <c>chs</c>.</summary>
    public IReadOnlyList<int>? Channels { get; init; }

    /// <summary>The figure width in inches (100 pixels each). Defaults to 14, as <c>show_batch</c>'s <c>figsize</c> (14, 12).</summary>
    public double WidthInches { get; init; } = 14;

    /// <summary>The figure height in inches. Defaults to 4 per grid row: 12 for the 3 × 3 grid, as <c>show_batch</c>'s (14, 12).</summary>
    public double? HeightInches { get; init; }

    /// <summary>The line width in points. Defaults to 3, as <c>show_timeseries</c>'s <c>linewidth</c>.</summary>
    public double LineWidth { get; init; } = 3;

    /// <summary>Show a legend <c>ch0, ch1, …</c> on multichannel series. Defaults to true, as <c>show_timeseries</c>'s <c>leg</c>.</summary>
    public bool Legend { get; init; } = true;

    /// <summary>
    /// Readable class names for titles drawn from a dataset, a loader or predictions (the reference's <c>lbl_dict</c>),
    /// e.g. <c>ClassNames.Parse("1=Gun,2=Point")</c>. Defaults to null: the class labels.
    /// </summary>
    public ClassNames? ClassNames { get; init; }
}
