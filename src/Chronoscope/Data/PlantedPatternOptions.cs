namespace Chronoscope.Data;

/// <summary>
/// The shape of a synthetic ground-truth set (in the spirit of Ismail et al., NeurIPS 2020, "Benchmarking deep
/// learning interpretability in time series predictions"): where the answer to "which steps decided?" is known.
/// </summary>
public sealed record PlantedPatternOptions
{
    /// <summary>Series. Defaults to 200.</summary>
    public int Count { get; init; } = 200;

    /// <summary>Channels. Defaults to 3, so "which channel?" has a wrong answer to give.</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Steps per series. Defaults to 100.</summary>
    public int Length { get; init; } = 100;

    /// <summary>The pattern's length in steps. Defaults to 12 (12% of the default length).</summary>
    public int PatternLength { get; init; } = 12;

    /// <summary>The planted shape. Defaults to <see cref="PlantedShape.Bump"/>.</summary>
    public PlantedShape Shape { get; init; } = PlantedShape.Bump;

    /// <summary>The channels that carry the pattern (all at the same steps). Defaults to channel 1 alone.</summary>
    public IReadOnlyList<int> PlantedChannels { get; init; } = [1];

    /// <summary>The pattern's peak height. Defaults to 2 (twice the noise's standard deviation).</summary>
    public double Amplitude { get; init; } = 2;

    /// <summary>The standard deviation of the Gaussian noise every step carries. Defaults to 1.</summary>
    public double Noise { get; init; } = 1;

    /// <summary>Seeds the positions and the noise. Defaults to 0.</summary>
    public int Seed { get; init; }
}
