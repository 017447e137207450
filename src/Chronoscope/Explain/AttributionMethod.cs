using Chronoscope.Inference;
using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// An input attribution method: one value per channel and time step of the model's input (a channel × time map),
/// computed for a whole batch with per-item results. Attributions are taken with respect to the classifier's
/// <em>normalized</em> input, the tensor the network actually sees: gradients, baselines, noise levels and
/// replacement values all live in that space, and Integrated Gradients' completeness (the attributions sum to
/// logit(x) − logit(baseline)) holds there exactly as the model computes it. With <c>Normalization.None</c> (the
/// reference tutorial's setting) normalized and raw input are the same; with a per-channel z-score the two differ by a
/// constant factor per channel, so rankings within a channel are unchanged; so do they less the mean series, whose
/// offsets change the input, not its gradients (a zero baseline there is the training set's mean series).
/// </summary>
internal abstract class AttributionMethod(string name, bool perChannel = true) : MapMethod(name, usesGradients: true, usesReduction: false)
{
    /// <summary>True when the map has one row per input channel; false for a time-only map (one row).</summary>
    public bool PerChannel { get; } = perChannel;

    internal override torch.Tensor Compute(torch.Tensor activations, torch.Tensor? gradients, Reduction reduction) =>
        throw new InvalidOperationException($"{Name} attributes the input; it runs through Attribute");

    /// <summary>
    /// The memory of the method's passes: gradients down to the input (<see cref="MemoryPass.InputGradients"/>), or
    /// forward passes only where it takes no gradient (occlusion, the random control).
    /// </summary>
    internal virtual MemoryPass Pass => MemoryPass.InputGradients;

    /// <summary>Checks the method's settings against a series length before any work is done.</summary>
    internal virtual void Check(int channels, int length)
    {
    }

    /// <summary>
    /// Attributions for (B, C, T) <paramref name="inputs"/> and (B) <paramref name="targets"/>: (B, C, T), or (B, 1, T)
    /// when not <see cref="PerChannel"/>; and for methods with a completeness property, the (B) value the
    /// attributions of each item should sum to, else null. Tensors belong to the caller's dispose scope.
    /// </summary>
    internal abstract (torch.Tensor Attributions, torch.Tensor? Expected) Attribute(AttributionContext context, torch.Tensor inputs, torch.Tensor targets);
}
