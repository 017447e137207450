namespace Chronoscope.Plotting;

/// <summary>How <see cref="Pictures.PlotLearningRateFinder"/> draws; defaults from fastai's <c>plot_lr_find</c>.</summary>
public sealed record LearningRateFinderPlotOptions
{
    /// <summary>Points left out at the start. Defaults to 5, as fastai's <c>skip_start</c> (the first rates barely move the loss).</summary>
    public int SkipStart { get; init; } = 5;

    /// <summary>Points left out at the end. Defaults to 5, as fastai's <c>skip_end</c> (the loss explodes there).</summary>
    public int SkipEnd { get; init; } = 5;

    /// <summary>
    /// Marks minimum/10 and steepest besides the valley. Defaults to true: fastai marks the suggestions it was asked
    /// for (<c>suggest_funcs</c>), and the command line prints all three.
    /// </summary>
    public bool MarkAllSuggestions { get; init; } = true;

    /// <summary>The figure width in inches. Defaults to 6.</summary>
    public double WidthInches { get; init; } = 6;

    /// <summary>The figure height in inches. Defaults to 4.</summary>
    public double HeightInches { get; init; } = 4;
}
