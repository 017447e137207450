namespace Chronoscope.Explain;

/// <summary>Settings of GradientSHAP.</summary>
public sealed record GradientShapOptions
{
    /// <summary>
    /// (baseline, α) draws per item. Defaults to 32; captum's default of 5 leaves visible noise in the maps.
    /// </summary>
    public int Samples { get; init; } = 32;
}
