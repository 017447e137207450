using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>Gradient × Input (Shrikumar et al. 2016): ∂ logit / ∂ x ⊙ x, signed, on the normalized input.</summary>
internal sealed class GradientTimesInputMap() : AttributionMethod("Gradient x Input")
{
    internal override (torch.Tensor Attributions, torch.Tensor? Expected) Attribute(AttributionContext context, torch.Tensor inputs, torch.Tensor targets) =>
        (context.Gradients(inputs, targets) * inputs, null); // (B, C, T)
}
