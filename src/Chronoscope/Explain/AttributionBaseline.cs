namespace Chronoscope.Explain;

/// <summary>The reference input an Integrated Gradients path starts from (in the model's normalized input space).</summary>
public enum AttributionBaseline
{
    /// <summary>All zeros. With a per-channel z-score this is the training mean of each channel.</summary>
    Zero,

    /// <summary>The mean of the reference (training) series, step by step and channel by channel.</summary>
    TrainingMean,

    /// <summary>Uniform noise in each channel's range of the explained series (seeded per item).</summary>
    Noise,
}
