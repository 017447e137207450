namespace Chronoscope.Explain;

/// <summary>
/// Integrated Gradients' completeness for one item: the raw attributions' sum against logit(x) − logit(baseline).
/// </summary>
/// <param name="Sum">The sum of the item's raw attributions over channels and steps.</param>
/// <param name="Expected">logit(x) − logit(baseline) for the explained class.</param>
public readonly record struct CompletenessCheck(double Sum, double Expected)
{
    /// <summary>|Sum − Expected|.</summary>
    public double Gap => Math.Abs(Sum - Expected);

    /// <summary>The gap relative to |Expected| (the gap itself when Expected is below 1e-6).</summary>
    public double RelativeGap => Math.Abs(Expected) < 1e-6 ? Gap : Gap / Math.Abs(Expected);
}
