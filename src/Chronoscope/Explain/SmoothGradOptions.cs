namespace Chronoscope.Explain;

/// <summary>Settings of SmoothGrad.</summary>
public sealed record SmoothGradOptions
{
    /// <summary>Noisy copies per item. Defaults to 50, as Smilkov et al. 2017 (their results settle by 50).</summary>
    public int Samples { get; init; } = 50;

    /// <summary>
    /// The noise's standard deviation as a fraction of each channel's range (max − min) in the explained series.
    /// Defaults to 0.15, the middle of the 10–20% Smilkov et al. recommend.
    /// </summary>
    public double Sigma { get; init; } = 0.15;
}
