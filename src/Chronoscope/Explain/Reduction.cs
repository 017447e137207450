namespace Chronoscope.Explain;

/// <summary>How a CAM method collapses an axis (channels for CAM, time for Grad-CAM's weights), as the reference offers.</summary>
public enum Reduction
{
    /// <summary>The average (the reference's default).</summary>
    Mean,

    /// <summary>The lower of the two middle values for an even count, as <c>torch.median</c>.</summary>
    Median,

    /// <summary>The largest value.</summary>
    Max,

    /// <summary>(mean + max) / 2.</summary>
    MeanMax,
}
