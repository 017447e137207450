using TorchSharp;

namespace Chronoscope.Models;

/// <summary>The way back from a bfloat16 prediction's activations to the network's own type.</summary>
internal static class LowPrecision
{
    /// <summary><paramref name="x"/> in float32 when it is bfloat16 (mixed precision keeps float32 parameters); otherwise itself.</summary>
    public static torch.Tensor Widen(torch.Tensor x) => x.dtype == torch.ScalarType.BFloat16 ? x.to(torch.ScalarType.Float32) : x;
}
