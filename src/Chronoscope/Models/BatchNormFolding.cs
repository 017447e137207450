using TorchSharp;
using TorchSharp.Modules;

namespace Chronoscope.Models;

/// <summary>
/// BatchNorm in eval mode is a per-channel affine map, y = x·s + h with s = γ/√(σ²+ε) and h = β − μ·s, so a
/// convolution followed by it is the same as one convolution with weights w·s and bias (b − μ)·s + β (here the
/// convolutions have no bias: b = 0). Computed at every forward pass from the current parameters and running
/// statistics (a few hundred thousand multiplications, nothing against the convolutions), so it can never be stale and
/// never changes the stored weights; gradients still reach the convolution and the BatchNorm through it.
/// </summary>
internal static class BatchNormFolding
{
    /// <summary>
    /// Whether a module folds now: when <paramref name="enabled"/>, in eval mode, and only while no gradient is taken.
    /// Folding is the same function but rounds differently in float32, and the gradients explanations take to the
    /// input moved by up to 1e-3 of their largest value folded (measured on the paper's network), so maps keep the
    /// exact path and plain inference (predict, validation, faithfulness curves) takes the faster one.
    /// </summary>
    public static bool Applies(bool enabled, bool training) => enabled && !training && !torch.is_grad_enabled();

    /// <summary>The scale s and shift h of <paramref name="norm"/> with its running statistics: (C), (C).</summary>
    public static (torch.Tensor Scale, torch.Tensor Shift) Affine(BatchNorm1d norm)
    {
        // Explicit scalars, alive until the sum is made: TorchSharp's implicit ones (running_var + eps) hold only their
        // native value's address during the call, and the garbage collector may finalize them meanwhile, freeing it
        // while libtorch reads it (CI once failed here: "toFloat: Expected false to be true"; HeldScalars).
        using Scalar eps = norm.eps;
        var scale = norm.weight! * torch.rsqrt(norm.running_var!.add(eps, HeldScalars.One)); // (C)
        var shift = norm.bias! - norm.running_mean! * scale;                   // (C)
        return (scale, shift);
    }

    /// <summary>
    /// A bias-free convolution's weight (F, C, k) folded with channels <paramref name="from"/>..from+F of a BatchNorm's
    /// scale and shift: the weight w·s and the bias h, (F, C, k) and (F).
    /// </summary>
    public static (torch.Tensor Weight, torch.Tensor Bias) Fold(torch.Tensor weight, torch.Tensor scale, torch.Tensor shift, long from)
    {
        var filters = weight.shape[0];
        var s = scale.narrow(0, from, filters);  // (F)
        return (weight * s.view(filters, 1, 1), shift.narrow(0, from, filters));
    }
}
