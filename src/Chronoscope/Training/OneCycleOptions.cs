namespace Chronoscope.Training;

/// <summary>The shape of fastai's one-cycle policy; defaults are fastai's <c>fit_one_cycle</c>.</summary>
public sealed record OneCycleOptions
{
    /// <summary>Share of the fit spent warming up. Defaults to 0.25 (fastai's <c>pct_start</c>).</summary>
    public double WarmupFraction { get; init; } = 0.25;

    /// <summary>The rate starts at max / this. Defaults to 25 (fastai's <c>div</c>).</summary>
    public double Divisor { get; init; } = 25;

    /// <summary>The rate ends at max / this. Defaults to 1e5 (fastai's <c>div_final</c>).</summary>
    public double FinalDivisor { get; init; } = 1e5;

    /// <summary>Momentum at the ends of the cycle. Defaults to 0.95 (fastai's <c>moms[0]</c>).</summary>
    public double MaxMomentum { get; init; } = 0.95;

    /// <summary>Momentum at the peak learning rate. Defaults to 0.85 (fastai's <c>moms[1]</c>).</summary>
    public double MinMomentum { get; init; } = 0.85;
}
