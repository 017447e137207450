using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// GradientSHAP / expected gradients (Lundberg and Lee 2017; Erion et al. 2021): the mean over S draws of
/// ∂ logit(x′ + α(x − x′)) / ∂ x ⊙ (x − x′), with x′ a reference (training) series drawn at random and α ~ U[0, 1),
/// both seeded per item. In expectation its sum is logit(x) − E[logit(x′)]. Needs <see cref="ExplainOptions.Reference"/>.
/// </summary>
internal sealed class GradientShapMap : AttributionMethod
{
    internal const int BaselineStream = 3;
    internal const int AlphaStream = 4;

    public GradientShapMap(GradientShapOptions options) : base("GradientSHAP")
    {
        if (options.Samples < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Samples, "GradientSHAP needs at least 1 sample");
        Options = options;
    }

    public GradientShapOptions Options { get; }

    internal override (torch.Tensor Attributions, torch.Tensor? Expected) Attribute(AttributionContext context, torch.Tensor inputs, torch.Tensor targets)
    {
        long b = inputs.shape[0], c = inputs.shape[1], t = inputs.shape[2];
        var s = Options.Samples;
        var reference = torch.tensor(context.Reference("GradientSHAP"), [context.ReferenceCount, c, t], device: inputs.device); // (R, C, T)
        var chosen = torch.tensor(context.ReferenceIndices(BaselineStream, s), device: inputs.device); // (B·S)
        var baselines = reference.index_select(0, chosen).view(b, s, c, t);               // (B, S, C, T)
        var alphas = torch.tensor(context.Random(AlphaStream, s, gaussian: false), [b, s, 1, 1], device: inputs.device);
        var difference = inputs.unsqueeze(1) - baselines;                                  // (B, S, C, T)
        var points = baselines + alphas * difference;
        var gradients = context.Gradients(points.reshape(b * s, c, t), targets.repeat_interleave(s)).view(b, s, c, t);
        return ((gradients * difference).mean([1]), null);
    }
}
