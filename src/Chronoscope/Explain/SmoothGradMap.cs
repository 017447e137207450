using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// SmoothGrad (Smilkov et al. 2017) over Saliency: the mean of |∂ logit / ∂ x| at <c>Samples</c> copies of x with
/// Gaussian noise of standard deviation <c>Sigma</c> × (the channel's max − min). Noise is seeded per item.
/// </summary>
internal sealed class SmoothGradMap : AttributionMethod
{
    internal const int NoiseStream = 2;

    public SmoothGradMap(SmoothGradOptions options) : base("SmoothGrad")
    {
        if (options.Samples < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Samples, "SmoothGrad needs at least 1 sample");
        if (!(options.Sigma >= 0) || double.IsInfinity(options.Sigma))
            throw new ArgumentOutOfRangeException(nameof(options), options.Sigma, "SmoothGrad's sigma must be a fraction of the range, 0 or more");
        Options = options;
    }

    public SmoothGradOptions Options { get; }

    internal override (torch.Tensor Attributions, torch.Tensor? Expected) Attribute(AttributionContext context, torch.Tensor inputs, torch.Tensor targets)
    {
        long b = inputs.shape[0], c = inputs.shape[1], t = inputs.shape[2];
        var s = Options.Samples;
        var range = inputs.amax([2], keepdim: true) - inputs.amin([2], keepdim: true); // (B, C, 1)
        var noise = torch.tensor(context.Random(NoiseStream, (int)(s * c * t), gaussian: true), [b, s, c, t], device: inputs.device);
        var noisy = inputs.unsqueeze(1) + noise * (range.unsqueeze(1) * Options.Sigma); // (B, S, C, T)
        var gradients = context.Gradients(noisy.reshape(b * s, c, t), targets.repeat_interleave(s)); // (B·S, C, T)
        return (gradients.abs().view(b, s, c, t).mean([1]), null);
    }
}
