using Chronoscope.Models;

namespace Chronoscope.Training;

/// <summary>What a <see cref="Learner"/> trains and how; every default is the reference's (<c>ts_learner(dls)</c>).</summary>
public sealed record LearnerOptions
{
    /// <summary>The network's shape. Defaults to the reference's InceptionTime.</summary>
    public InceptionTimeOptions Model { get; init; } = new();

    /// <summary>The optimizer. Defaults to <see cref="OptimizerKind.Ranger"/>, as the reference.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Ranger;

    /// <summary>The loss. Defaults to <see cref="LossKind.LabelSmoothingCrossEntropy"/>, as the reference.</summary>
    public LossKind Loss { get; init; } = LossKind.LabelSmoothingCrossEntropy;

    /// <summary>Label smoothing epsilon. Defaults to 0.1, as fastai's <c>LabelSmoothingCrossEntropy</c>.</summary>
    public double LabelSmoothing { get; init; } = 0.1;

    /// <summary>Weight decay. Defaults to 0.01, as the reference's Ranger.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Also decays BatchNorm weights and biases. Defaults to false, as fastai's <c>wd_bn_bias</c>.</summary>
    public bool WeightDecayOnBatchNormAndBias { get; init; }

    /// <summary>Adam's beta2. Defaults to 0.99, as fastai's <c>sqr_mom</c>.</summary>
    public double Beta2 { get; init; } = 0.99;

    /// <summary>Adam's epsilon. Defaults to 1e-5, as fastai.</summary>
    public double Epsilon { get; init; } = 1e-5;

    /// <summary>The validation metrics (columns of the epoch table). Defaults to accuracy, as the reference.</summary>
    public IReadOnlyList<Metric> Metrics { get; init; } = [Metric.Accuracy];

    /// <summary>Seeds the network's initial weights (libtorch's generator). Defaults to 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>When BatchNorm statistics are recomputed before validation. Defaults to <see cref="BatchNormCalibration.Auto"/>.</summary>
    public BatchNormCalibration BatchNormCalibration { get; init; } = BatchNormCalibration.Auto;
}
