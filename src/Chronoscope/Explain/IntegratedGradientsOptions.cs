namespace Chronoscope.Explain;

/// <summary>Settings of Integrated Gradients.</summary>
public sealed record IntegratedGradientsOptions
{
    /// <summary>
    /// Gradient evaluations along the path, n. Defaults to 64, the reference setting (captum uses 50). The
    /// completeness gap shrinks as n grows.
    /// </summary>
    public int Steps { get; init; } = 64;

    /// <summary>Where the path starts. Defaults to <see cref="AttributionBaseline.Zero"/>, as captum and most papers.</summary>
    public AttributionBaseline Baseline { get; init; } = AttributionBaseline.Zero;
}
