namespace Chronoscope.Inference;

/// <summary>The number type a <see cref="TimeSeriesClassifier"/>'s predictions compute their convolutions in.</summary>
public enum InferencePrecision
{
    /// <summary>Everything in float32, as the network was saved: the default.</summary>
    Float32,

    /// <summary>
    /// The convolutions (BatchNorm folded in) take bfloat16 copies of their input and weights; everything between them
    /// stays float32. 1.3-1.7× the series per second of float32 on a processor that computes bfloat16 natively
    /// (AVX512-BF16 or AMX; benchmarks/README.md, inference) and slower than float32 on one that does not;
    /// probabilities move by up to about 0.01 (at most 0.0097 on GunPoint's test set with the tutorial's model), so a
    /// series near the decision boundary may change class. Explanations always compute in float32.
    /// </summary>
    BFloat16,
}

internal static class InferencePrecisionExtensions
{
    /// <summary>The type the network's convolutions compute in for predictions in <paramref name="precision"/>.</summary>
    public static TorchSharp.torch.ScalarType ConvolutionType(this InferencePrecision precision) =>
        precision == InferencePrecision.BFloat16 ? TorchSharp.torch.ScalarType.BFloat16 : TorchSharp.torch.ScalarType.Float32;
}
