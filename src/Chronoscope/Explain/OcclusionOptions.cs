namespace Chronoscope.Explain;

/// <summary>Settings of Occlusion.</summary>
public sealed record OcclusionOptions
{
    /// <summary>Steps hidden at once. Defaults to 8, a few percent of a UCR series (GunPoint: 150 steps).</summary>
    public int Window { get; init; } = 8;

    /// <summary>Steps between window starts. Defaults to 4 (half the window), so each step is covered about twice.</summary>
    public int Stride { get; init; } = 4;

    /// <summary>
    /// True (the default) hides one channel at a time, giving a channel × time map; false hides all channels together
    /// and gives a time-only map.
    /// </summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>The fill. Defaults to <see cref="OcclusionFill.Zero"/>, as captum's default baseline.</summary>
    public OcclusionFill Fill { get; init; } = OcclusionFill.Zero;
}
