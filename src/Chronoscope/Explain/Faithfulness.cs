using Chronoscope.Data;
using Chronoscope.Inference;
using TorchSharp;

namespace Chronoscope.Explain;

/// <summary>
/// How far a map deserves to be believed: the model's behaviour when the cells a map ranks highest (or lowest) are
/// replaced. Cells are (channel, step) pairs for channel × time maps and steps (all channels at once) for time-only
/// maps; they are ranked by the map's signed value, highest first, so "most relevant" means "most in favour of the
/// explained class". Every perturbed copy of a batch (3n + 2 per item) goes through the network in passes of at most
/// <see cref="FaithfulnessOptions.PassSize"/> series, in eval mode without gradients; the model's training flag is
/// restored afterwards.
/// </summary>
public sealed class Faithfulness(TimeSeriesClassifier classifier)
{
    private const int NoiseStream = 11;

    public TimeSeriesClassifier Classifier { get; } = classifier ?? throw new ArgumentNullException(nameof(classifier));

    /// <summary>
    /// The perturbation curves of <paramref name="maps"/>, made for series <c>maps.Items</c> of <paramref name="data"/>;
    /// <paramref name="cancellationToken"/> is checked between batches.
    /// </summary>
    public FaithfulnessCurves Evaluate(TimeSeriesDataset data, ActivationMaps maps, FaithfulnessOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(maps);
        options ??= new FaithfulnessOptions();
        data = Classifier.Conform(data);
        Check(data, maps, options);
        int n = options.Steps, length = data.Length, channels = data.Channels, rows = maps.Channels;
        var cells = rows * length;
        var fractions = Enumerable.Range(1, n).Select(i => i * options.StepFraction).ToArray();
        var counts = fractions.Select(f => Math.Clamp((int)Math.Round(f * cells), 1, cells)).ToArray();
        var reference = PrepareReference(options, channels, length);

        var items = maps.Items;
        var classes = Classifier.Classes.Count;
        var copies = 3 * n + 2; // original, fully replaced, n MoRF, n LeRF, n insertion
        var probabilities = new double[items.Count * copies];
        var originalAll = new double[items.Count * classes];
        using (new EvalMode(Classifier.Members))
        {
            using var loader = Classifier.CreateLoader(data, options.BatchSize);
            // Items per batch that fit the memory available (one item beyond all of it is refused here, before any pass).
            var itemsPerBatch = MemoryBudget.FitPasses(EvaluationMemory(data, maps, options)).SeriesPerPass;
            var done = 0;
            using var pause = CollectionPause.Begin(); // collections only between passes
            foreach (var chunk in Enumerable.Range(0, items.Count).Chunk(itemsPerBatch))
            {
                cancellationToken.ThrowIfCancellationRequested();
                pause.Renew(due: false);
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                using var batch = loader.GetBatch([.. chunk.Select(k => items[k])]);
                var x = batch.Inputs;                                          // (B, C, T)
                long b = chunk.Length;
                var replacement = Replacement(options, x, [.. chunk.Select(k => items[k])], reference); // (B, C, T)
                var masks = torch.tensor(Masks(maps, chunk, counts), [b, 2 * n, rows, length], device: x.device); // (B, 2n, R, T)
                var morf = masks.narrow(1, 0, n);                              // (B, n, R, T)
                var lerf = masks.narrow(1, n, n);
                var xs = x.unsqueeze(1);                                       // (B, 1, C, T)
                var rs = replacement.unsqueeze(1);
                var all = torch.cat(
                [
                    xs, rs,
                    xs * (1 - morf) + rs * morf,
                    xs * (1 - lerf) + rs * lerf,
                    rs * (1 - morf) + xs * morf,
                ], 1).reshape(b * copies, channels, length);                    // (B·(3n+2), C, T)
                var targets = torch.tensor(chunk.Select(k => (long)maps.ExplainedClasses[k]).ToArray(), device: x.device); // (B)
                var p = Probabilities(all, options.PassSize).view(b, copies, classes); // (B, 3n+2, K)
                var explained = p.gather(2, targets.view(b, 1, 1).expand(b, copies, 1)).squeeze(2); // (B, 3n+2)
                explained.to(torch.float64).cpu().data<double>().CopyTo(probabilities, done * copies);
                p.select(1, 0).to(torch.float64).cpu().data<double>().CopyTo(originalAll, done * classes);
                done += chunk.Length;
            }
        }

        var classMeans = new double[classes];
        for (var k = 0; k < items.Count; k++)
        {
            for (var c = 0; c < classes; c++)
                classMeans[c] += originalAll[k * classes + c] / items.Count;
        }
        var original = new double[items.Count];
        var start = new double[items.Count];
        var expected = new double[items.Count];
        double[] morfCurve = new double[items.Count * n], lerfCurve = new double[items.Count * n], insertion = new double[items.Count * n];
        for (var k = 0; k < items.Count; k++)
        {
            var row = probabilities.AsSpan(k * copies, copies);
            original[k] = row[0];
            start[k] = row[1];
            expected[k] = classMeans[maps.ExplainedClasses[k]];
            row.Slice(2, n).CopyTo(morfCurve.AsSpan(k * n, n));
            row.Slice(2 + n, n).CopyTo(lerfCurve.AsSpan(k * n, n));
            row.Slice(2 + 2 * n, n).CopyTo(insertion.AsSpan(k * n, n));
        }
        return new FaithfulnessCurves(maps.Method.Name, options.Perturbation, fractions, original, expected, morfCurve, lerfCurve, insertion, start, [.. items]);
    }

    private void Check(TimeSeriesDataset data, ActivationMaps maps, FaithfulnessOptions options)
    {
        if (maps.Length != data.Length)
            throw new ArgumentException($"the maps have {maps.Length} steps, the data's series {data.Length}; explain this data to evaluate its maps.");
        if (maps.Channels != 1 && maps.Channels != data.Channels)
            throw new ArgumentException($"the maps have {maps.Channels} channels, the data {data.Channels}.");
        if (maps.Items.Any(i => i < 0 || i >= data.Count))
            throw new ArgumentException($"the maps explain items outside the data's 0..{data.Count - 1}.");
        // Maps of other series of the same shape would be scored without a word against series they do not explain.
        var sameChannels = maps.SeriesChannels == data.Channels;
        var other = Enumerable.Range(0, maps.Count).FirstOrDefault(k => !sameChannels
            || !maps.Series(k).SequenceEqual(data.SeriesAsRead(maps.Items[k])), -1);
        if (other >= 0)
            throw new ArgumentException($"map {other} explains item {maps.Items[other]} of other data: its series differs from this data's series {maps.Items[other]}; explain this data to evaluate its maps.");
        if (!maps.Classes.SequenceEqual(Classifier.Classes))
            throw new ArgumentException("the maps were made by a model with other classes.");
        if (options.Steps < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "a faithfulness curve needs at least 1 step");
        if (!(options.StepFraction > 0) || options.Steps * options.StepFraction > 1 + 1e-9)
            throw new ArgumentOutOfRangeException(nameof(options), options.StepFraction, $"the steps must replace more than 0% and at most 100% of the cells; {options.Steps} × {options.StepFraction} does not");
        if (options.BatchSize < 1 || options.PassSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "BatchSize and PassSize must be at least 1");
    }

    private float[]? PrepareReference(FaithfulnessOptions options, int channels, int length)
    {
        if (options.Perturbation != Perturbation.TrainingMean)
            return null;
        var reference = Classifier.Conform(options.Reference
            ?? throw new ArgumentException("the training-mean perturbation needs the training data: set FaithfulnessOptions.Reference."));
        if (reference.Count == 0 || reference.Channels != channels || reference.Length != length)
            throw new ArgumentException($"the reference (training) data has {reference.Count} series of {reference.Channels} channel(s) × {reference.Length} steps; expected series of {channels} × {length}.");
        var prepared = Classifier.Normalizer.Prepare(reference, Classifier.MissingValues);
        var mean = new float[channels * length];
        for (var r = 0; r < reference.Count; r++)
        {
            for (var i = 0; i < mean.Length; i++)
                mean[i] += prepared[r * mean.Length + i] / reference.Count;
        }
        return mean;
    }

    /// <summary>The (B, C, T) values that replace cells.</summary>
    private torch.Tensor Replacement(FaithfulnessOptions options, torch.Tensor x, int[] items, float[]? reference)
    {
        long b = x.shape[0], c = x.shape[1], t = x.shape[2];
        var noise = new AttributionContext(Classifier.Model, options.PassSize, options.Seed, items, null, 0);
        return options.Perturbation switch
        {
            Perturbation.Zero => torch.zeros_like(x),
            Perturbation.SeriesMean => x.mean([2], keepdim: true).expand(b, c, t),
            Perturbation.GaussianNoise => x.mean([2], keepdim: true) + x.std(2, keepdim: true, unbiased: false)
                * torch.tensor(noise.Random(NoiseStream, (int)(c * t), gaussian: true), [b, c, t], device: x.device),
            Perturbation.UniformNoise => x.amin([2], keepdim: true) + (x.amax([2], keepdim: true) - x.amin([2], keepdim: true))
                * torch.tensor(noise.Random(NoiseStream, (int)(c * t), gaussian: false), [b, c, t], device: x.device),
            Perturbation.Inverse => x.amax([2], keepdim: true) - x,
            Perturbation.TrainingMean => torch.tensor(reference!, [1, c, t], device: x.device).expand(b, c, t),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Perturbation, null),
        };
    }

    /// <summary>(B, 2n, R, T) masks: for each item, n MoRF masks (the top counts[i] cells) then n LeRF masks (the bottom ones).</summary>
    private static float[] Masks(ActivationMaps maps, int[] chunk, int[] counts)
    {
        var n = counts.Length;
        var cells = maps.Channels * maps.Length;
        var masks = new float[chunk.Length * 2 * n * cells];
        for (var b = 0; b < chunk.Length; b++)
        {
            var map = maps.Map(chunk[b]);
            var order = Enumerable.Range(0, cells).ToArray();
            var keys = new float[cells];
            for (var i = 0; i < cells; i++)
                keys[i] = float.IsNaN(map[i]) ? float.PositiveInfinity : -map[i];
            Array.Sort(keys, order); // highest value first (ties in index order is not promised; any order of equals is fair)
            for (var s = 0; s < n; s++)
            {
                var morf = masks.AsSpan(((b * 2 * n) + s) * cells, cells);
                var lerf = masks.AsSpan(((b * 2 * n) + n + s) * cells, cells);
                for (var j = 0; j < counts[s]; j++)
                {
                    morf[order[j]] = 1;
                    lerf[order[cells - 1 - j]] = 1;
                }
            }
        }
        return masks;
    }

    /// <summary>
    /// The memory <see cref="Evaluate"/> will take for <paramref name="maps"/> over <paramref name="data"/> (conformed):
    /// per batch of items, their 3n + 2 perturbed copies (held about three times over while they are built: the parts,
    /// the joined copies and the masks, counted from the tensors, not measured) and forward passes through them of at most
    /// <see cref="FaithfulnessOptions.PassSize"/> series (<see cref="SeriesPerPass"/>).
    /// </summary>
    internal MemoryNeed EvaluationMemory(TimeSeriesDataset data, ActivationMaps maps, FaithfulnessOptions options)
    {
        long length = data.Length, channels = data.Channels, copies = 3L * options.Steps + 2;
        var network = Classifier.Model.Options;
        var passSize = SeriesPerPass.Bound(options.PassSize, length, Classifier.Model);
        return new MemoryNeed("scoring the faithfulness of maps of", MemoryNeed.SourceOf(data), length, Math.Min(options.BatchSize, Math.Max(1, maps.Items.Count)),
            items => MemoryBudget.Estimate(MemoryPass.Prediction, Math.Min(passSize, items * copies), length, network,
                extraBytes: 3 * sizeof(float) * items * copies * channels * length));
    }

    /// <summary>Softmax probabilities of (N, C, T) series, (N, K) (an ensemble's mean), in passes of at most <paramref name="passSize"/> (fewer for long series: <see cref="SeriesPerPass"/>).</summary>
    private torch.Tensor Probabilities(torch.Tensor inputs, int passSize)
    {
        passSize = SeriesPerPass.Bound(passSize, inputs.shape[2], Classifier.Model);
        var parts = new List<torch.Tensor>();
        var count = inputs.shape[0];
        for (long start = 0; start < count; start += passSize)
        {
            using var scope = torch.NewDisposeScope();
            parts.Add(Classifier.MeanProbabilities(inputs.narrow(0, start, Math.Min(passSize, count - start))).MoveToOuterDisposeScope()); // (P, K)
        }
        return parts.Count == 1 ? parts[0] : torch.cat(parts, 0);
    }
}
