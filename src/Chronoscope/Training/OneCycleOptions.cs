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

    /// <summary>Refuses a shape the policy cannot take, naming the option (a warm-up of 2 read as "fractions must sum to 1").</summary>
    internal void Validate()
    {
        static void Check(bool ok, string what)
        {
            if (!ok)
                throw new ArgumentOutOfRangeException("options", $"OneCycleOptions.{what}");
        }
        Check(WarmupFraction is >= 0 and <= 1, FormattableString.Invariant($"WarmupFraction: expected a share of the fit from 0 to 1, found {WarmupFraction}"));
        Check(Divisor > 0 && double.IsFinite(Divisor), FormattableString.Invariant($"Divisor: expected a finite number above 0 (the rate starts at max / this), found {Divisor}"));
        Check(FinalDivisor > 0 && double.IsFinite(FinalDivisor), FormattableString.Invariant($"FinalDivisor: expected a finite number above 0 (the rate ends at max / this), found {FinalDivisor}"));
        Check(MaxMomentum is >= 0 and < 1, FormattableString.Invariant($"MaxMomentum: expected Adam's beta1, from 0 up to 1, found {MaxMomentum}"));
        Check(MinMomentum is >= 0 and < 1, FormattableString.Invariant($"MinMomentum: expected Adam's beta1, from 0 up to 1, found {MinMomentum}"));
    }
}
