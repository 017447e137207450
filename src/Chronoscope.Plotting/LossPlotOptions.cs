namespace Chronoscope.Plotting;

/// <summary>How <see cref="Pictures.PlotLoss"/> draws; defaults from fastai's <c>plot_loss</c>.</summary>
public sealed record LossPlotOptions
{
    /// <summary>Training values left out at the start (the first batches are noisy). Defaults to 0 (fastai's <c>skip_start</c> is 5, which hides a short run's start).</summary>
    public int SkipStart { get; init; }

    /// <summary>The figure width in inches. Defaults to 6, as matplotlib's figure of fastai's plot (6.4) rounded to the CAM picture's.</summary>
    public double WidthInches { get; init; } = 6;

    /// <summary>The figure height in inches. Defaults to 4.</summary>
    public double HeightInches { get; init; } = 4;
}
