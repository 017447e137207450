namespace Chronoscope.Explain;

/// <summary>What an occluded window is filled with (in the model's normalized input space).</summary>
public enum OcclusionFill
{
    /// <summary>Zeros.</summary>
    Zero,

    /// <summary>The mean of the explained series' channel over all its steps.</summary>
    SeriesMean,

    /// <summary>The mean reference (training) series at the same channel and steps.</summary>
    TrainingMean,
}
