using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// Occlusion (Zeiler and Fergus 2014, as captum's feature occlusion): a window of <c>Window</c> steps slides with
/// <c>Stride</c> (plus one final window flush with the end, so every step is covered), hiding one channel at a time or
/// all channels, filled with <c>Fill</c>. Each step's attribution is the mean, over the windows covering it, of
/// logit(x) − logit(x with the window hidden). Every perturbed copy of a batch is evaluated in passes of at most
/// <see cref="ExplainOptions.PassSize"/> series, built pass by pass, so memory stays bounded.
/// </summary>
internal sealed class OcclusionMap : AttributionMethod
{
    public OcclusionMap(OcclusionOptions options) : base("Occlusion", options.PerChannel)
    {
        if (options.Window < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Window, "Occlusion's window must be at least 1 step");
        if (options.Stride < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Stride, "Occlusion's stride must be at least 1 step");
        Options = options;
    }

    public OcclusionOptions Options { get; }

    internal override Inference.MemoryPass Pass => Inference.MemoryPass.Prediction; // forward passes only

    internal override void Check(int channels, int length)
    {
        if (Options.Window > length)
            throw new ArgumentException($"Occlusion's window of {Options.Window} steps is longer than the series ({length} steps); choose a window of at most {length}.");
    }

    /// <summary>The window starts over a series of <paramref name="length"/> steps.</summary>
    internal static IReadOnlyList<int> Starts(int length, int window, int stride)
    {
        var starts = new List<int>();
        for (var s = 0; s + window <= length; s += stride)
            starts.Add(s);
        if (starts[^1] + window < length)
            starts.Add(length - window);
        return starts;
    }

    internal override (torch.Tensor Attributions, torch.Tensor? Expected) Attribute(AttributionContext context, torch.Tensor inputs, torch.Tensor targets)
    {
        long b = inputs.shape[0], c = inputs.shape[1], t = inputs.shape[2];
        var starts = Starts((int)t, Options.Window, Options.Stride);
        var rows = Options.PerChannel ? c : 1;
        var m = starts.Count * rows;
        var masks = torch.zeros(m, rows, t, device: inputs.device); // (M, C or 1, T): 1 where hidden
        for (var w = 0; w < starts.Count; w++)
        {
            for (var r = 0; r < rows; r++)
                masks[w * rows + r, r].narrow(0, starts[w], Options.Window).fill_(1);
        }
        var fill = Options.Fill switch
        {
            OcclusionFill.Zero => torch.zeros_like(inputs),
            OcclusionFill.SeriesMean => inputs.mean([2], keepdim: true).expand(b, c, t),
            OcclusionFill.TrainingMean => context.ReferenceMean("Occlusion filled with the training mean", c, t).expand(b, c, t),
            _ => throw new InvalidOperationException(Options.Fill.ToString()),
        };
        var original = context.TargetLogits(inputs, targets); // (B)

        var drops = new float[b * m];
        var total = b * m;
        for (long start = 0; start < total; start += context.PassSize)
        {
            var size = Math.Min(context.PassSize, total - start);
            using var scope = torch.NewDisposeScope();
            var pairs = torch.arange(start, start + size, dtype: torch.int64, device: inputs.device); // (P) = item·M + mask
            var items = pairs.div(m, rounding_mode: torch.RoundingMode.floor);
            var mask = masks.index_select(0, pairs.remainder(m));                      // (P, C or 1, T)
            var x = inputs.index_select(0, items);                                     // (P, C, T)
            var hidden = x * (1 - mask) + fill.index_select(0, items) * mask;         // broadcast over channels when all are hidden
            var logits = context.TargetLogits(hidden, targets.index_select(0, items)); // (P)
            (original.index_select(0, items) - logits).cpu().data<float>().CopyTo(drops, (int)start);
        }
        var drop = torch.tensor(drops, [b, m], device: inputs.device);        // (B, M)
        var flat = masks.view(m, rows * t);                                    // (M, C·T)
        var coverage = flat.sum([0]);                                          // (C·T)
        return ((drop.matmul(flat) / coverage).view(b, rows, t), null);
    }
}
