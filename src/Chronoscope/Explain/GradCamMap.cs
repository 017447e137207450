using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>Grad-CAM: channel weights from the gradient reduced over time; the package's mean or the paper's sum + ReLU.</summary>
internal sealed class GradCamMap(string name, bool paper) : MapMethod(name, usesGradients: true, usesReduction: true)
{
    internal override torch.Tensor Compute(torch.Tensor activations, torch.Tensor? gradients, Reduction reduction)
    {
        var weights = Reduce(gradients!, 2, reduction).unsqueeze(2); // (B, C, 1): one weight per item and channel
        var weighted = weights * activations;                         // (B, C, T)
        return paper ? torch.nn.functional.relu(weighted.sum([1])) : weighted.mean([1]);
    }
}
