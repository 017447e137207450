using System.Globalization;
using Chronoscope.Training;
using TorchSharp;

namespace Chronoscope.Benchmarks;

/// <summary>
/// <c>--augment KIND[:AMOUNT]</c>, a measurement of data augmentation (not in the library): every training batch is
/// changed in place before the network sees it, drawn afresh for each batch from a generator seeded by the run's seed.
/// BatchNorm calibration and validation see the series as read.
/// <list type="bullet">
/// <item><c>slice:R</c> (window slicing): a random window of R·L steps stretched back to L by linear interpolation.</item>
/// <item><c>warp:R[:S]</c> (window warping): a random window of R·L steps played S times faster or slower (S = 2 unless
/// given), the whole then resampled to L.</item>
/// <item><c>jitter:S</c>: Gaussian noise of deviation S times the series' own (per channel).</item>
/// <item><c>scale:S</c>: each series multiplied by a factor drawn from N(1, S²).</item>
/// <item><c>mixup:A</c>: each batch λ·x + (1-λ)·x[π] for a random permutation π, λ from Beta(A, A) taken ≥ 0.5,
/// and the loss λ·L(y) + (1-λ)·L(y[π]) (Zhang et al. 2018).</item>
/// </list>
/// </summary>
internal sealed class Augmentation(string kind, double amount, double speed, int seed) : Callback
{
    private readonly Random _random = new(seed * 7919 + 17);
    private torch.Tensor? _mixedTargets; // mixup: the partners' classes, (B)
    private double _lambda;

    // Each kind's amount when --augment gives none.
    private static readonly Dictionary<string, double> DefaultAmounts = new() { ["slice"] = 0.9, ["warp"] = 0.1, ["jitter"] = 0.03, ["scale"] = 0.1, ["mixup"] = 0.4 };

    /// <summary><c>KIND[:AMOUNT[:SPEED]]</c> (SPEED for <c>warp</c> only), or null for none.</summary>
    public static Augmentation? Parse(string? text, int seed)
    {
        if (text is null or "none")
            return null;
        var parts = text.Split(':');
        if (!DefaultAmounts.TryGetValue(parts[0], out var amount))
            throw new ArgumentException($"--augment: unknown kind {parts[0]} (expected one of {string.Join(", ", DefaultAmounts.Keys)} or none)");
        if (parts.Length > 1)
            amount = double.Parse(parts[1], CultureInfo.InvariantCulture);
        return new Augmentation(parts[0], amount, parts.Length > 2 ? double.Parse(parts[2], CultureInfo.InvariantCulture) : 2, seed);
    }

    public override void BeforeTrainBatch(TrainingContext context)
    {
        var inputs = context.Batch!.Inputs; // (B, C, L)
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (batch, length) = (inputs.shape[0], inputs.shape[2]);
        switch (kind)
        {
            case "jitter":
            {
                var deviation = inputs.std(2, keepdim: true); // (B, C, 1)
                var noise = torch.tensor(Normals(batch * inputs.shape[1] * length), inputs.shape, device: inputs.device);
                inputs.add_(noise.mul_(deviation).mul_(amount));
                break;
            }
            case "scale":
            {
                var factors = Normals(batch).Select(z => (float)(1 + amount * z)).ToArray();
                inputs.mul_(torch.tensor(factors, [batch, 1, 1], device: inputs.device));
                break;
            }
            case "mixup":
            {
                var (a, b) = (Gamma(amount), Gamma(amount));
                _lambda = Math.Max(a / (a + b), b / (a + b));
                var order = Enumerable.Range(0, (int)batch).ToArray();
                _random.Shuffle(order);
                var partners = torch.tensor(order.Select(i => (long)i).ToArray(), device: inputs.device);
                var others = inputs.index_select(0, partners);
                inputs.mul_(_lambda).add_(others.mul_(1 - _lambda));
                _mixedTargets?.Dispose();
                _mixedTargets = context.Batch.Targets!.index_select(0, partners).DetachFromDisposeScope();
                break;
            }
            default:
                inputs.copy_(Resample(inputs, [.. Enumerable.Range(0, (int)batch).Select(_ => kind == "slice" ? SliceMap(length) : WarpMap(length))]));
                break;
        }
    }

    public override void AfterLoss(TrainingContext context)
    {
        if (_mixedTargets is null)
            return;
        var other = context.Learner.ComputeLoss(context.Logits!, _mixedTargets);
        context.Loss = context.Loss!.mul(_lambda).add_(other.mul_(1 - _lambda));
        _mixedTargets.Dispose();
        _mixedTargets = null;
    }

    /// <summary>A Gamma(shape, 1) draw (Marsaglia and Tsang; shapes below 1 boosted by U^(1/shape)).</summary>
    private double Gamma(double shape)
    {
        if (shape < 1)
            return Gamma(shape + 1) * Math.Pow(_random.NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal();
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            var u = _random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v))
                return d * v;
        }
    }

    /// <summary>Where each of the L output steps reads the input: a window of amount·L steps from a random start.</summary>
    private float[] SliceMap(long length)
    {
        var window = Math.Max(2, amount * length);
        var start = _random.NextDouble() * (length - window);
        return [.. Enumerable.Range(0, (int)length).Select(t => (float)(start + t * (window - 1) / (length - 1)))];
    }

    /// <summary>
    /// Where each output step reads the input when a window of amount·L steps from a random start is played speed times
    /// faster or slower (so it lasts 1/speed or speed times as long) and the warped series is resampled to L steps.
    /// </summary>
    private float[] WarpMap(long length)
    {
        var window = Math.Max(2, amount * length);
        var start = _random.NextDouble() * (length - 1 - window);
        var factor = _random.Next(2) == 0 ? 1 / speed : speed; // how long the window lasts afterwards, relative
        var warped = length - 1 + window * (factor - 1); // the warped series' span
        var map = new float[length];
        for (var t = 0; t < length; t++)
        {
            var u = t * warped / (length - 1); // position on the warped time axis
            map[t] = (float)(u < start ? u : u < start + window * factor ? start + (u - start) / factor : u - window * (factor - 1));
        }
        return map;
    }

    /// <summary>(B, C, L) read at fractional positions maps[b][t] with linear interpolation.</summary>
    private static torch.Tensor Resample(torch.Tensor inputs, float[][] maps)
    {
        var (batch, channels, length) = (inputs.shape[0], inputs.shape[1], inputs.shape[2]);
        var positions = torch.tensor(maps.SelectMany(m => m).ToArray(), [batch, 1, length], device: inputs.device).clamp_(0, length - 1);
        var below = positions.floor().to(torch.ScalarType.Int64).clamp_(0, length - 1);
        var above = (below + 1).clamp_(0, length - 1);
        var weight = (positions - below.to(torch.ScalarType.Float32)).expand(batch, channels, length);
        var (low, high) = (inputs.gather(2, below.expand(batch, channels, length)), inputs.gather(2, above.expand(batch, channels, length)));
        return low + (high - low) * weight;
    }

    private float[] Normals(long count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
            values[i] = (float)Normal();
        return values;
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    private double Normal()
    {
        var (u, v) = (1 - _random.NextDouble(), _random.NextDouble());
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
