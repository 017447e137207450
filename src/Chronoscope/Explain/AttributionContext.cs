using Chronoscope.Data;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// What an input attribution method needs besides the batch: the network (in eval mode), how many series one
/// forward/backward pass may hold, the seed, the items' indices (every random number depends on (seed, item), never on
/// the batch an item lands in, so batched and one-by-one results agree), and the prepared reference (training) series.
/// </summary>
internal sealed class AttributionContext
{
    private readonly float[]? _reference;  // (R, C, T) prepared as the model's input, or null
    private readonly int _referenceCount;

    public AttributionContext(InceptionTime model, int passSize, int seed, IReadOnlyList<int> items, float[]? reference, int referenceCount,
        CancellationToken cancellation = default)
    {
        Cancellation = cancellation;
        Model = model;
        PassSize = passSize;
        Seed = seed;
        Items = items;
        _reference = reference;
        _referenceCount = referenceCount;
    }

    public InceptionTime Model { get; }

    /// <summary>Checked before every pass: a method of many passes (Integrated Gradients, occlusion) stops within one.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>Series per forward/backward pass at most.</summary>
    public int PassSize { get; }

    public int Seed { get; }

    /// <summary>The data index of each item of the batch, in batch order.</summary>
    public IReadOnlyList<int> Items { get; }

    /// <summary>The number of reference series.</summary>
    public int ReferenceCount => _referenceCount;

    /// <summary>The reference (training) series, prepared; throws with a clear message when none was given.</summary>
    public float[] Reference(string purpose) => _reference
        ?? throw new ArgumentException($"{purpose} needs reference (training) series: set ExplainOptions.Reference to the training data.");

    /// <summary>The mean prepared reference series, (1, C, T).</summary>
    public torch.Tensor ReferenceMean(string purpose, long channels, long length)
    {
        var reference = Reference(purpose);
        var all = torch.tensor(reference, [_referenceCount, channels, length]); // (R, C, T)
        return all.mean([0], keepdim: true);
    }

    /// <summary>
    /// The gradient of each series' target logit with respect to the series: (N, C, T) for (N, C, T) inputs and (N)
    /// targets, computed in passes of at most <see cref="PassSize"/> series (each pass has its own dispose scope).
    /// Parameters' gradients are neither computed nor stored (<c>torch.autograd.grad</c> on the input only).
    /// </summary>
    public torch.Tensor Gradients(torch.Tensor inputs, torch.Tensor targets)
    {
        var parts = new List<torch.Tensor>();
        var count = inputs.shape[0];
        for (long start = 0; start < count; start += PassSize)
        {
            Cancellation.ThrowIfCancellationRequested();
            var size = Math.Min(PassSize, count - start);
            using var scope = torch.NewDisposeScope();
            using var gradientMode = torch.enable_grad();
            var x = inputs.narrow(0, start, size).detach().requires_grad_(true); // (P, C, T)
            var logits = Model.call(x);                                          // (P, K)
            var score = logits.gather(1, targets.narrow(0, start, size).unsqueeze(1)).sum();
            var gradient = torch.autograd.grad([score], [x])[0];               // (P, C, T)
            parts.Add(gradient.detach().MoveToOuterDisposeScope());
        }
        return parts.Count == 1 ? parts[0] : torch.cat(parts, 0);
    }

    /// <summary>The target logit of each series, (N), without gradients, in passes of at most <see cref="PassSize"/>.</summary>
    public torch.Tensor TargetLogits(torch.Tensor inputs, torch.Tensor targets)
    {
        var parts = new List<torch.Tensor>();
        var count = inputs.shape[0];
        for (long start = 0; start < count; start += PassSize)
        {
            Cancellation.ThrowIfCancellationRequested();
            var size = Math.Min(PassSize, count - start);
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var logits = Model.call(inputs.narrow(0, start, size)); // (P, K)
            parts.Add(logits.gather(1, targets.narrow(0, start, size).unsqueeze(1)).squeeze(1).MoveToOuterDisposeScope());
        }
        return parts.Count == 1 ? parts[0] : torch.cat(parts, 0);
    }

    /// <summary>
    /// <paramref name="perItem"/> random numbers for each item, (B, perItem) row-major, from a counter hash of
    /// (seed, stream, item, position): <paramref name="gaussian"/> draws N(0, 1) (Box–Muller), else U[0, 1).
    /// </summary>
    public float[] Random(int stream, int perItem, bool gaussian)
    {
        var values = new float[Items.Count * perItem];
        for (var b = 0; b < Items.Count; b++)
        {
            var key = unchecked(((ulong)(uint)Seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)stream << 48) ^ ((ulong)(uint)Items[b] * 0xD1B54A32D192ED03UL));
            var generator = new SplitMix64(key);
            var row = values.AsSpan(b * perItem, perItem);
            for (var i = 0; i < perItem; i++)
            {
                var u1 = ((generator.Next() >> 11) + 1.0) * (1.0 / 9007199254740992.0); // (0, 1]
                if (!gaussian)
                {
                    row[i] = (float)(1 - u1);
                    continue;
                }
                var u2 = (generator.Next() >> 11) * (1.0 / 9007199254740992.0);
                row[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }
        }
        return values;
    }

    /// <summary><paramref name="perItem"/> indices into the reference series for each item, (B, perItem), seeded like <see cref="Random"/>.</summary>
    public long[] ReferenceIndices(int stream, int perItem)
    {
        var uniform = Random(stream, perItem, gaussian: false);
        return [.. uniform.Select(u => Math.Min(_referenceCount - 1, (long)(u * _referenceCount)))];
    }
}
