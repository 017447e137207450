using Chronoscope.Data;
using Chronoscope.Inference;
using TorchSharp;

namespace Chronoscope.Explain;

public sealed partial class Explainer
{
    /// <summary>
    /// Input attributions for <paramref name="indices"/>: per batch of <see cref="ExplainOptions.BatchSize"/> items, one
    /// forward pass for the predictions and targets, then the method's passes (bounded by
    /// <see cref="ExplainOptions.PassSize"/>), all inside one dispose scope per batch.
    /// </summary>
    private ActivationMaps Attribute(AttributionMethod method, DataLoader loader, IReadOnlyList<int> indices, ExplainOptions options, CancellationToken cancellationToken)
    {
        if (options.PassSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.PassSize, "PassSize must be at least 1");
        var length = loader.Dataset.Length;
        var channels = loader.Dataset.Channels;
        method.Check(channels, length);
        var reference = PrepareReference(options.Reference, channels, length);

        var rows = method.PerChannel ? channels : 1;
        var classes = Classifier.Classes.Count;
        var values = new float[indices.Count * rows * length];
        var probabilities = new float[indices.Count * classes];
        var explained = new int[indices.Count];
        var expected = new float[indices.Count];
        var hasExpected = false;

        var members = Classifier.Members;
        var spread = Classifier.IsEnsemble ? new float[indices.Count * rows * length] : null;
        using (new EvalMode(members))
        {
            var done = 0;
            // The method's passes, and the batch's forward pass for its predictions, fit the memory available (one
            // series beyond all of it is refused here, before any pass); members share one shape.
            var passSize = MemoryBudget.FitPasses(ExplanationMemory(loader.Dataset, options)).SeriesPerPass;
            var seriesPerBatch = MemoryBudget.FitPasses(Classifier.PredictionMemory(loader.Dataset, options.BatchSize)).SeriesPerPass;
            using var pause = CollectionPause.Begin(); // collections only between passes
            foreach (var chunk in indices.Chunk(seriesPerBatch))
            {
                cancellationToken.ThrowIfCancellationRequested();
                pause.Renew(due: false);
                using var scope = torch.NewDisposeScope();
                using var batch = loader.GetBatch(chunk);
                torch.Tensor batchProbabilities;
                using (torch.no_grad())
                    batchProbabilities = Classifier.MeanProbabilities(batch.Inputs); // (B, K)
                var targets = TargetsOf(batchProbabilities, batch, options.Target); // (B); an ensemble's class for every member
                var maps = new List<torch.Tensor>();
                var sums = new List<torch.Tensor>();
                foreach (var member in members)
                {
                    var context = new AttributionContext(member, passSize, options.Seed, chunk, reference, options.Reference?.Count ?? 0, cancellationToken);
                    var (memberMaps, memberSums) = method.Attribute(context, batch.Inputs, targets); // (B, C or 1, T), (B)?
                    maps.Add(memberMaps.detach());
                    if (memberSums is not null)
                        sums.Add(memberSums);
                }
                var stacked = torch.stack(maps); // (M, B, C or 1, T)
                stacked.mean([0]).cpu().data<float>().CopyTo(values, done * rows * length);
                if (spread is not null)
                    stacked.std([0], unbiased: false).cpu().data<float>().CopyTo(spread, done * rows * length);
                if (sums.Count > 0)
                {
                    // Completeness holds for the mean too: the mean of the members' logit differences.
                    torch.stack(sums).mean([0]).cpu().data<float>().CopyTo(expected, done);
                    hasExpected = true;
                }
                batchProbabilities.cpu().data<float>().CopyTo(probabilities, done * classes);
                targets.cpu().data<long>().Select(t => (int)t).ToArray().CopyTo(explained, done);
                done += chunk.Length;
            }
        }

        var span = rows * length;
        CompletenessCheck[]? completeness = null;
        if (hasExpected)
        {
            completeness = new CompletenessCheck[indices.Count];
            for (var k = 0; k < indices.Count; k++)
            {
                double sum = 0;
                foreach (var v in values.AsSpan(k * span, span))
                    sum += v;
                completeness[k] = new CompletenessCheck(sum, expected[k]);
            }
        }
        double[]? shares = null;
        if (rows > 1)
        {
            shares = new double[indices.Count * rows];
            for (var k = 0; k < indices.Count; k++)
            {
                for (var r = 0; r < rows; r++)
                {
                    foreach (var v in values.AsSpan((k * rows + r) * length, length))
                        shares[k * rows + r] += Math.Abs(v);
                }
            }
        }
        if (options.ForceScale)
            ScaleMaps(values, spread, span, options.ScaleRange);
        var labels = loader.Targets is { } t ? indices.Select(i => (int)t[i]).ToArray() : null;
        return new ActivationMaps(method, options, -1, "input", Classifier.Classes,
            [.. indices], length, values, explained, labels, probabilities, SeriesAsRead(loader.Dataset, indices), channels, rows, completeness)
        {
            RawChannelShares = shares,
            MemberSpread = spread,
            MemberCount = members.Count,
            ChannelNames = loader.Dataset.ChannelNames,
        };
    }

    /// <summary>The reference series prepared as the model's input, (R, C, T) row-major; null when none was given.</summary>
    private float[]? PrepareReference(TimeSeriesDataset? reference, int channels, int length)
    {
        if (reference is null)
            return null;
        if (reference.Count == 0)
            throw new ArgumentException("the reference (training) data holds no series");
        reference = Classifier.Conform(reference);
        if (reference.Channels != channels || reference.Length != length)
            throw new ArgumentException(
                $"the reference (training) data has {reference.Channels} channel(s) of {reference.Length} steps, the explained data {channels} of {length}; they must match.");
        return Classifier.Normalizer.Prepare(reference, Classifier.MissingValues);
    }
}
