using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// Grad-CAM++ with the paper's closed form for an exponential score: α = G² / (2G² + Σₜ A · G³), channel weight =
/// Σₜ α · ReLU(G), map = ReLU(Σ_c weight · A).
/// </summary>
internal sealed class GradCamPlusPlusMap() : MapMethod("Grad-CAM++", usesGradients: true, usesReduction: false)
{
    internal override torch.Tensor Compute(torch.Tensor activations, torch.Tensor? gradients, Reduction reduction)
    {
        var g = gradients!;                                               // (B, C, T)
        var g2 = g.pow(2);
        var denominator = 2 * g2 + activations.sum([2], keepdim: true) * g.pow(3);
        var alpha = g2 / torch.where(denominator != 0, denominator, torch.ones_like(denominator));
        var weights = (alpha * torch.nn.functional.relu(g)).sum([2], keepdim: true); // (B, C, 1)
        return torch.nn.functional.relu((weights * activations).sum([1]));           // (B, T)
    }
}
