using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>The reference's CAM: activations reduced over channels.</summary>
internal sealed class CamMap() : MapMethod("CAM", usesGradients: false, usesReduction: true)
{
    internal override torch.Tensor Compute(torch.Tensor activations, torch.Tensor? gradients, Reduction reduction) =>
        Reduce(activations, 1, reduction); // (B, C, T) -> (B, T)
}
