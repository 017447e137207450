using Chronoscope.Models;

namespace Chronoscope.Training;

/// <summary>
/// What a <see cref="Learner"/> trains and how. The defaults are those of <c>chronoscope train</c>, chosen by
/// measurement on the archive's datasets (Adam, label smoothing); <see cref="Reference"/> is the reference tutorial's
/// learner (<c>ts_learner(dls)</c>: Ranger), which the tutorial reproduces.
/// </summary>
public sealed record LearnerOptions
{
    /// <summary>
    /// The reference tutorial's learner, fastai's <c>ts_learner(dls)</c>: Ranger (Lookahead over RAdam) with label
    /// smoothing, in float32 as PyTorch computes it; every other default is shared.
    /// </summary>
    public static LearnerOptions Reference { get; } = new() { Optimizer = OptimizerKind.Ranger, Precision = TrainingPrecision.Float32 };

    /// <summary>The network's shape. Defaults to the reference's InceptionTime.</summary>
    public InceptionTimeOptions Model { get; init; } = new();

    /// <summary>
    /// The optimizer. Defaults to <see cref="OptimizerKind.Adam"/>: on the archive's small training sets, within a budget
    /// of a few hundred steps, it reached clearly higher test accuracy than the reference's Ranger, whose Lookahead
    /// halves the progress of each step (SonyAIBORobotSurface1, 500 steps at 1e-3, mean of 3 seeds: Adam with
    /// cross-entropy 0.83, Ranger with label smoothing 0.71; Adam with label smoothing at 3e-3, the default, 0.96).
    /// </summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>The loss. Defaults to <see cref="LossKind.LabelSmoothingCrossEntropy"/>, as the reference.</summary>
    public LossKind Loss { get; init; } = LossKind.LabelSmoothingCrossEntropy;

    /// <summary>Label smoothing epsilon. Defaults to 0.1, as fastai's <c>LabelSmoothingCrossEntropy</c>.</summary>
    public double LabelSmoothing { get; init; } = 0.1;

    /// <summary>Weight decay (decoupled for Ranger, RAdam and AdamW; L2 for Adam). Defaults to 0.01, as the reference's Ranger.</summary>
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

    /// <summary>
    /// Validates after every this many epochs, and always after the last. Defaults to 1 (every epoch), as fastai. Long
    /// fits on small training sets (hundreds of one-step epochs against a large validation set) validate less often, so
    /// validation does not cost more than training.
    /// </summary>
    public int ValidationInterval { get; init; } = 1;

    /// <summary>
    /// The number type the convolutions train in. Defaults to <see cref="TrainingPrecision.Auto"/>: bfloat16 mixed
    /// precision where the CPU computes bfloat16 natively, float32 elsewhere and where, without AMX, float32 training
    /// convolves the branches by FFT in large enough batches (then the faster: see <see cref="Learner.Precision"/>).
    /// Measured: a bfloat16 training epoch 1.25-1.5× as fast as direct float32 convolutions (GunPoint and FordA sizes,
    /// 2 threads) and test accuracy within the seeds' spread of float32 (GunPoint, ECG200, PhalangesOutlinesCorrect;
    /// 100 epochs, 3 seeds each; docs/speed.md).
    /// </summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Auto;

    /// <summary>When BatchNorm statistics are recomputed before validation. Defaults to <see cref="BatchNormCalibration.Auto"/>.</summary>
    public BatchNormCalibration BatchNormCalibration { get; init; } = BatchNormCalibration.Auto;
}
