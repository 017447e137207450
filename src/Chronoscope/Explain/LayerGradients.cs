using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// One forward pass that keeps a layer's output, and one backward pass from the target logits to that output only
/// (the layers before it run without gradients, <see cref="InceptionTime.ForwardFromLayer"/>; no parameter gradient is
/// computed or stored). Because each item's logit depends on its own activations alone (eval mode), the gradient of the
/// sum of the items' target logits gives every item its own gradient: a whole batch in one pass, not the
/// batch-averaged weights of tsai.
/// </summary>
internal static class LayerGradients
{
    /// <summary>(B, C', T') activations and their gradients; both belong to the caller's dispose scope.</summary>
    public static (torch.Tensor Activations, torch.Tensor Gradients) Compute(InceptionTime model, torch.Tensor inputs, int layer, torch.Tensor targets)
    {
        var (activations, gradients, _) = Compute(model, inputs, layer, _ => targets);
        return (activations, gradients!);
    }

    /// <summary>
    /// The logits (B, K), the activations of <paramref name="layer"/> as (B, C', T'), and, when
    /// <paramref name="targetsOf"/> is given, the gradient of each item's target logit with respect to them.
    /// </summary>
    public static (torch.Tensor Activations, torch.Tensor? Gradients, torch.Tensor Logits) Compute(
        InceptionTime model, torch.Tensor inputs, int layer, Func<torch.Tensor, torch.Tensor>? targetsOf)
    {
        if (targetsOf is null)
        {
            using var noGrad = torch.no_grad();
            var output = model.Forward(inputs, layer, out var captured); // (B, K)
            return (WithTimeAxis(captured!), null, output);
        }
        using var gradientMode = torch.enable_grad(); // the score below is part of the graph
        var logits = model.ForwardFromLayer(inputs, layer, out var activations); // (B, K)
        var targets = targetsOf(logits.detach());                      // (B)
        var score = logits.gather(1, targets.unsqueeze(1)).sum();
        var gradients = torch.autograd.grad([score], [activations])[0]; // (B, C', T') like the activations
        return (WithTimeAxis(activations.detach()), WithTimeAxis(gradients), logits.detach());
    }

    // The flatten and linear layers output (B, K): treat them as (B, K, 1), a single time step.
    private static torch.Tensor WithTimeAxis(torch.Tensor values) => values.dim() == 2 ? values.unsqueeze(2) : values;
}
