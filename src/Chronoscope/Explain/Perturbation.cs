namespace Chronoscope.Explain;

/// <summary>
/// What replaces the ranked cells of a series in a faithfulness curve (in the model's normalized input space; per
/// series and channel where a statistic is involved). Noise is seeded per item and the same at every step of a curve.
/// </summary>
public enum Perturbation
{
    /// <summary>Zeros (Baer et al.'s "Zero", the setting of their published table).</summary>
    Zero,

    /// <summary>The series' own mean, per channel.</summary>
    SeriesMean,

    /// <summary>Gaussian noise with the series' own mean and standard deviation, per channel.</summary>
    GaussianNoise,

    /// <summary>Uniform noise between the series' minimum and maximum, per channel.</summary>
    UniformNoise,

    /// <summary>The value mirrored in the series' range: max − x, per channel.</summary>
    Inverse,

    /// <summary>The mean reference (training) series at the same channel and step.</summary>
    TrainingMean,
}
