namespace Chronoscope.Training;

/// <summary>The number type a <see cref="Learner"/>'s convolutions compute in while it trains.</summary>
public enum TrainingPrecision
{
    /// <summary>Everything in float32, as PyTorch eager by default.</summary>
    Float32,

    /// <summary>
    /// Mixed precision: the convolutions take bfloat16 copies of their input and weights; the weights, their gradients,
    /// the optimizer, BatchNorm, the head and the loss stay float32. Validation, prediction and explanations always run
    /// in float32.
    /// </summary>
    BFloat16,

    /// <summary>
    /// <see cref="BFloat16"/> where the processor computes bfloat16 natively (AVX512-BF16 or AMX) and a check on the
    /// first training batch passes, except without AMX where float32 convolves the branches by FFT in large enough
    /// batches (see <see cref="Learner.Precision"/>); else <see cref="Float32"/>.
    /// </summary>
    Auto,
}
