namespace Chronoscope.Plotting;

/// <summary>How <see cref="Pictures.PlotSchedule"/> draws; fastai's <c>plot_sched</c> puts the two curves side by side.</summary>
public sealed record SchedulePlotOptions
{
    /// <summary>The figure width in inches. Defaults to 10 (two panels of 5).</summary>
    public double WidthInches { get; init; } = 10;

    /// <summary>The figure height in inches. Defaults to 4.</summary>
    public double HeightInches { get; init; } = 4;

    /// <summary>
    /// Put the momentum panel under the learning rate's instead of beside it, for narrow pages (a report read on a
    /// phone). Defaults to false: side by side, as fastai.
    /// </summary>
    public bool Stacked { get; init; }
}
