using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>HiResCAM: gradient × activation summed over channels, so each time step keeps its own gradient.</summary>
internal sealed class HiResCamMap() : MapMethod("HiResCAM", usesGradients: true, usesReduction: false)
{
    internal override torch.Tensor Compute(torch.Tensor activations, torch.Tensor? gradients, Reduction reduction) =>
        (gradients! * activations).sum([1]); // (B, T)
}
