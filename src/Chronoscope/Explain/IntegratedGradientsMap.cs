using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// Integrated Gradients (Sundararajan et al. 2017): (x − x′) ⊙ ∫₀¹ ∂ logit(x′ + α(x − x′)) / ∂ x dα, the integral by the
/// midpoint (Riemann-middle) rule with n steps: α_j = (j + ½) / n, j = 0 … n − 1, each weighted 1/n. All B·n
/// interpolated series of a batch go through the network in a few passes of at most
/// <see cref="ExplainOptions.PassSize"/> series. Completeness: the attributions of an item sum to
/// logit(x) − logit(x′) up to the quadrature error (exact for a network linear along the path); that target is
/// returned per item so callers can report the gap.
/// </summary>
internal sealed class IntegratedGradientsMap : AttributionMethod
{
    internal const int NoiseStream = 1;

    public IntegratedGradientsMap(IntegratedGradientsOptions options) : base("Integrated Gradients")
    {
        if (options.Steps < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "Integrated Gradients needs at least 1 step");
        Options = options;
    }

    public IntegratedGradientsOptions Options { get; }

    internal override (torch.Tensor Attributions, torch.Tensor? Expected) Attribute(AttributionContext context, torch.Tensor inputs, torch.Tensor targets)
    {
        long b = inputs.shape[0], c = inputs.shape[1], t = inputs.shape[2];
        var n = Options.Steps;
        var baseline = Baseline(Options.Baseline, context, inputs, NoiseStream, "Integrated Gradients with a training-mean baseline"); // (B, C, T)
        var alphas = (torch.arange(n, dtype: torch.float32) + 0.5f) / n;            // (n)
        var difference = inputs - baseline;                                          // (B, C, T)
        var path = baseline.unsqueeze(1) + alphas.view(1, n, 1, 1) * difference.unsqueeze(1); // (B, n, C, T)
        var gradients = context.Gradients(path.reshape(b * n, c, t), targets.repeat_interleave(n)); // (B·n, C, T)
        var average = gradients.view(b, n, c, t).mean([1]);                          // (B, C, T)
        var expected = context.TargetLogits(inputs, targets) - context.TargetLogits(baseline, targets); // (B)
        return (difference * average, expected);
    }

    /// <summary>The (B, C, T) baseline for each item.</summary>
    internal static torch.Tensor Baseline(AttributionBaseline kind, AttributionContext context, torch.Tensor inputs, int stream, string purpose)
    {
        long b = inputs.shape[0], c = inputs.shape[1], t = inputs.shape[2];
        switch (kind)
        {
            case AttributionBaseline.Zero:
                return torch.zeros_like(inputs);
            case AttributionBaseline.TrainingMean:
                return context.ReferenceMean(purpose, c, t).expand(b, c, t).contiguous();
            case AttributionBaseline.Noise:
                var low = inputs.amin([2], keepdim: true);                         // (B, C, 1)
                var high = inputs.amax([2], keepdim: true);
                var uniform = torch.tensor(context.Random(stream, (int)(c * t), gaussian: false), [b, c, t], device: inputs.device);
                return low + uniform * (high - low);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
