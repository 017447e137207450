using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>Saliency (Simonyan et al. 2014): |∂ logit / ∂ x|, one backward pass for the batch.</summary>
internal sealed class SaliencyMap() : AttributionMethod("Saliency")
{
    internal override (torch.Tensor Attributions, torch.Tensor? Expected) Attribute(AttributionContext context, torch.Tensor inputs, torch.Tensor targets) =>
        (context.Gradients(inputs, targets).abs(), null); // (B, C, T)
}
