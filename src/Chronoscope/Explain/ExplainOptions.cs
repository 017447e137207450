using Chronoscope.Data;

namespace Chronoscope.Explain;

/// <summary>What to explain and how; defaults are the reference's <c>show_cam</c> defaults except the method.</summary>
public sealed record ExplainOptions
{
    /// <summary>The method. Defaults to <see cref="MapMethod.GradCam"/>, the package's GRAD-CAM.</summary>
    public MapMethod Method { get; init; } = MapMethod.GradCam;

    /// <summary>The layer whose output is explained; null (the default) is the last Inception block (layer 5), as the reference.</summary>
    public int? Layer { get; init; }

    /// <summary>The reduction. Defaults to <see cref="Reduction.Mean"/>, as the reference.</summary>
    public Reduction Reduction { get; init; } = Reduction.Mean;

    /// <summary>Min-max scale each map to <see cref="ScaleRange"/>. Defaults to true, as the reference's <c>force_scale</c>.</summary>
    public bool ForceScale { get; init; } = true;

    /// <summary>The range scaled maps span. Defaults to 0..1, as the reference's <c>scale_range</c>.</summary>
    public (double Low, double High) ScaleRange { get; init; } = (0, 1);

    /// <summary>The class gradients explain. Defaults to each item's label, as the reference.</summary>
    public MapTarget Target { get; init; } = MapTarget.Label;

    /// <summary>Series per forward/backward pass. Defaults to 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// Reference series, normally the training data (raw, as read; prepared like the explained data): the training-mean
    /// baseline and fill, and GradientSHAP's baselines. Defaults to null; methods that need it say so when it is missing.
    /// </summary>
    public TimeSeriesDataset? Reference { get; init; }

    /// <summary>Seeds every random number of SmoothGrad, GradientSHAP, noise baselines and Random. Defaults to 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Series per forward/backward pass at most, for methods that evaluate many copies of each item (Integrated
    /// Gradients, SmoothGrad, GradientSHAP, Occlusion). Defaults to 256, fewer for long series: passes of input
    /// gradients through the default InceptionTime hold at most 52,428 series × steps (104 series at L = 500: Integrated
    /// Gradients of 20 such series peaked at 2.0-2.1 GB, 3.7-3.8 GB in passes of 256), far less at GunPoint size.
    /// </summary>
    public int PassSize { get; init; } = 256;
}
