using Chronoscope.Data;
using Chronoscope.Inference;
using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// Computes class activation maps for a trained classifier: which time steps of each series drove the decision.
/// The model runs in eval mode with gradients on only where a method needs them; its training flag, the gradient mode
/// and its parameters' gradients are as before afterwards.
/// </summary>
public sealed partial class Explainer(TimeSeriesClassifier classifier)
{
    // A constant map has no "more" or "less" important step; scaled, it sits in the middle of the range.
    private const double Flat = 1e-12;

    public TimeSeriesClassifier Classifier { get; } = classifier ?? throw new ArgumentNullException(nameof(classifier));

    /// <summary>
    /// Maps for series <paramref name="indices"/> of <paramref name="data"/> (prepared as the training data was);
    /// <paramref name="cancellationToken"/> is checked between batches.
    /// </summary>
    public ActivationMaps Explain(TimeSeriesDataset data, IReadOnlyList<int> indices, ExplainOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExplainOptions();
        using var loader = Classifier.CreateLoader(data, options.BatchSize);
        return Explain(loader, indices, options, cancellationToken);
    }

    /// <summary>
    /// Maps for series <paramref name="indices"/> of <paramref name="loader"/> (e.g. a batch's <c>Indices</c>);
    /// <paramref name="cancellationToken"/> is checked between batches.
    /// </summary>
    public ActivationMaps Explain(DataLoader loader, IReadOnlyList<int> indices, ExplainOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(indices);
        options ??= new ExplainOptions();
        if (options.Method is null)
            throw new ArgumentNullException(nameof(options), "ExplainOptions.Method: expected a method, e.g. MapMethod.GradCam");
        if (!Enum.IsDefined(options.Reduction))
            throw new ArgumentOutOfRangeException(nameof(options), options.Reduction, $"ExplainOptions.Reduction: expected one of {string.Join(", ", Enum.GetNames<Reduction>())}");
        if (!(double.IsFinite(options.ScaleRange.Low) && double.IsFinite(options.ScaleRange.High) && options.ScaleRange.Low < options.ScaleRange.High))
            throw new ArgumentOutOfRangeException(nameof(options), options.ScaleRange, "ExplainOptions.ScaleRange: expected finite ends, low below high");
        var model = Classifier.Model;
        var layer = options.Layer ?? model.LastBlock;
        if (layer < 0 || layer >= model.LayerCount)
            throw new ArgumentOutOfRangeException(nameof(options), layer, $"expected a layer from 0 to {model.LayerCount - 1} ({model.LastBlock} is the last Inception block)");
        if (options.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1");
        if (options.Target.Kind == MapTargetKind.Class && options.Target.ClassIndex >= Classifier.Classes.Count)
            throw new ArgumentOutOfRangeException(nameof(options), options.Target.ClassIndex, $"expected a class from 0 to {Classifier.Classes.Count - 1}");
        if (indices.Count == 0)
            throw new ArgumentException("expected at least one item to explain", nameof(indices));
        if (options.Method is AttributionMethod attribution)
            return Attribute(attribution, loader, indices, options, cancellationToken);

        var length = loader.Dataset.Length;
        var classes = Classifier.Classes.Count;
        var members = Classifier.Members;
        var values = new float[indices.Count * length];
        var spread = Classifier.IsEnsemble ? new float[indices.Count * length] : null;
        var probabilities = new float[indices.Count * classes];
        var explained = new int[indices.Count];

        // Passes that fit the memory available (one series beyond all of it is refused here, before any pass).
        var seriesPerPass = MemoryBudget.FitPasses(ExplanationMemory(loader.Dataset, options)).SeriesPerPass;
        using var modes = new EvalMode(members);
        var done = 0;
        using var pause = CollectionPause.Begin(); // collections only between passes
        foreach (var chunk in indices.Chunk(seriesPerPass))
        {
            cancellationToken.ThrowIfCancellationRequested();
            pause.Renew(due: false);
            using var scope = torch.NewDisposeScope();
            using var batch = loader.GetBatch(chunk);
            torch.Tensor maps, batchProbabilities, targets;
            if (!Classifier.IsEnsemble)
            {
                (maps, var logits, targets) = Compute(model, batch, layer, options, null);
                batchProbabilities = torch.nn.functional.softmax(logits, 1);
                maps = Resample(maps, length);
            }
            else
            {
                // Every member explains the ensemble's class for the item (its prediction, unless a label or class is asked).
                using (torch.no_grad())
                    batchProbabilities = Classifier.MeanProbabilities(batch.Inputs); // (B, K)
                targets = TargetsOf(batchProbabilities, batch, options.Target);
                var memberMaps = torch.stack(members.Select(m => Resample(Compute(m, batch, layer, options, targets).Maps, length))); // (M, B, T)
                maps = memberMaps.mean([0]);
                memberMaps.std([0], unbiased: false).cpu().data<float>().CopyTo(spread!, done * length);
            }
            maps.cpu().data<float>().CopyTo(values, done * length);
            batchProbabilities.cpu().data<float>().CopyTo(probabilities, done * classes);
            targets.cpu().data<long>().Select(t => (int)t).ToArray().CopyTo(explained, done);
            done += chunk.Length;
        }

        if (options.ForceScale)
            ScaleMaps(values, spread, length, options.ScaleRange);
        var labels = loader.Targets is { } t ? indices.Select(i => (int)t[i]).ToArray() : null;
        return new ActivationMaps(options.Method, options, layer, model.DescribeLayer(layer), Classifier.Classes,
            [.. indices], length, values, explained, labels, probabilities, SeriesAsRead(loader.Dataset, indices), loader.Dataset.Channels)
        {
            MemberSpread = spread,
            MemberCount = members.Count,
            ChannelNames = loader.Dataset.ChannelNames,
        };
    }

    /// <summary>
    /// The memory <see cref="Explain(DataLoader, IReadOnlyList{int}, ExplainOptions?, CancellationToken)"/> will take
    /// for series of <paramref name="data"/> (prepared: a loader's): for a layer's maps, passes of the batch size (fewer for long series,
    /// <see cref="SeriesPerPass"/>) with gradients back to the layer where the method takes them (to the last block as
    /// measured; to an earlier layer counted as to the input); for input attributions, the method's passes of
    /// <see cref="ExplainOptions.PassSize"/> copies. One member at a time.
    /// </summary>
    internal MemoryNeed ExplanationMemory(TimeSeriesDataset data, ExplainOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var length = data.Length;
        var model = Classifier.Model;
        var network = model.Options;
        var (pass, requested) = options.Method switch
        {
            AttributionMethod attribution => (attribution.Pass, options.PassSize),
            { UsesGradients: false } => (MemoryPass.Prediction, options.BatchSize),
            _ when (options.Layer ?? model.LastBlock) >= model.LastBlock => (MemoryPass.LayerGradients, options.BatchSize),
            _ => (MemoryPass.InputGradients, options.BatchSize),
        };
        return new MemoryNeed($"explaining ({options.Method?.Name})", MemoryNeed.SourceOf(data), length, SeriesPerPass.Bound(requested, length, model, pass),
            series => MemoryBudget.Estimate(pass, series, length, network));
    }

    /// <summary>One network's (B, T') maps, logits and targets; <paramref name="targets"/> fixes the explained classes (an ensemble's).</summary>
    private (torch.Tensor Maps, torch.Tensor Logits, torch.Tensor Targets) Compute(Models.InceptionTime model, Batch batch, int layer, ExplainOptions options, torch.Tensor? targets) =>
        options.Method is FunctionMap function
            ? ComputeOneByOne(model, function, batch, layer, options, targets)
            : ComputeBatch(model, options.Method, batch, layer, options, targets);

    /// <summary>Series <paramref name="indices"/> of <paramref name="data"/> as read, each cut to its true length.</summary>
    private static float[][] SeriesAsRead(TimeSeriesDataset data, IReadOnlyList<int> indices) =>
        [.. indices.Select(data.SeriesAsRead)];

    /// <summary>One forward (and for gradient methods one backward) pass for the whole batch.</summary>
    private static (torch.Tensor Maps, torch.Tensor Logits, torch.Tensor Targets) ComputeBatch(Models.InceptionTime model, MapMethod method, Batch batch, int layer, ExplainOptions options, torch.Tensor? targets)
    {
        var (activations, gradients, logits) = LayerGradients.Compute(model, batch.Inputs, layer,
            method.UsesGradients ? l => targets ??= TargetsOf(l, batch, options.Target) : null);
        targets ??= TargetsOf(logits, batch, options.Target);
        using var noGrad = torch.no_grad();
        return (method.Compute(activations, gradients, options.Reduction), logits, targets); // (B, T')
    }

    /// <summary>A user's function, item by item; the logits come from one batched forward pass.</summary>
    private static (torch.Tensor Maps, torch.Tensor Logits, torch.Tensor Targets) ComputeOneByOne(Models.InceptionTime model, FunctionMap function, Batch batch, int layer, ExplainOptions options, torch.Tensor? targets)
    {
        torch.Tensor logits;
        using (torch.no_grad())
            logits = model.call(batch.Inputs);
        targets ??= TargetsOf(logits, batch, options.Target);
        var targetValues = targets.cpu().data<long>().ToArray();
        var length = batch.Inputs.shape[2];
        var maps = new float[batch.Count * length];
        for (var i = 0; i < batch.Count; i++)
        {
            var map = function.Call(new MapRequest(batch.Inputs[i], (int)targetValues[i], model, layer, options.Reduction))
                ?? throw new InvalidOperationException($"the map function \"{function.Name}\" returned null; it must return one value per time step.");
            if (map.Count != length)
                throw new InvalidOperationException($"the map function \"{function.Name}\" returned {map.Count} values for a series of length {length}; it must return one value per time step.");
            for (var t = 0; t < length; t++)
                maps[i * length + t] = map[t];
        }
        return (torch.tensor(maps, [batch.Count, length]), logits, targets);
    }

    private static torch.Tensor TargetsOf(torch.Tensor logits, Batch batch, MapTarget target) => target.Kind switch
    {
        MapTargetKind.Label when batch.Targets is not null => batch.Targets,
        MapTargetKind.Class => torch.full([logits.shape[0]], target.ClassIndex, torch.int64, device: logits.device),
        _ => logits.argmax(1), // the prediction; also for Label on unlabelled data
    };

    /// <summary>(B, T') maps to (B, T): unchanged when T' = T, repeated for a single step, else linearly interpolated.</summary>
    private static torch.Tensor Resample(torch.Tensor maps, int length)
    {
        var steps = maps.shape[1];
        if (steps == length)
            return maps;
        if (steps == 1)
            return maps.expand(maps.shape[0], length).contiguous();
        return torch.nn.functional.interpolate(maps.unsqueeze(1), [length], mode: torch.InterpolationMode.Linear, align_corners: false).squeeze(1);
    }

    /// <summary>Min-max scales each map of <paramref name="span"/> values, and an ensemble's spread by the same factor.</summary>
    private static void ScaleMaps(float[] values, float[]? spread, int span, (double Low, double High) range)
    {
        for (var k = 0; k < values.Length / span; k++)
        {
            var factor = ScaleInPlace(values.AsSpan(k * span, span), range);
            if (spread is not null)
            {
                foreach (ref var v in spread.AsSpan(k * span, span))
                    v = (float)(v * factor);
            }
        }
    }

    /// <summary>
    /// Min-max scaling to <paramref name="range"/>; a constant map becomes the middle of the range. Returns the factor
    /// differences were multiplied by (0 for a constant map).
    /// </summary>
    internal static double ScaleInPlace(Span<float> map, (double Low, double High) range)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in map)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var span = max - min;
        for (var t = 0; t < map.Length; t++)
        {
            map[t] = span < Flat
                ? (float)((range.Low + range.High) / 2)
                : (float)((map[t] - min) / span * (range.High - range.Low) + range.Low);
        }
        return span < Flat ? 0 : (range.High - range.Low) / span;
    }
}
