using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;

namespace Chronoscope.Explain;

/// <summary>
/// "What would make it a Point?": counterfactual explanations by Native Guide (Delaney, Greene and Keane 2021). For each
/// query, its nearest unlike neighbour (NUN) — the closest training series of the target class that the model also
/// classifies as that class — lends the query a window of its own values, where the neighbour's map (Grad-CAM of the
/// target class by default) is highest; the window grows until the model predicts the target with at least the
/// threshold's probability. The smallest such window is the counterfactual.
/// <code>
/// var results = Counterfactuals.Explain(classifier, train, test, [0, 3]);
/// var first = results.Items[0];  // first.Found, first.WindowStart, first.WindowLength, first.Values (C·L), ...
/// </code>
/// </summary>
/// <remarks>
/// Everything is batched: one neighbour search for all queries (a few matrix products for the Euclidean distance), one
/// map pass for the distinct neighbours, and window growth in rounds that classify the next window lengths of every
/// unfinished query in one set of forward passes (16 lengths a query at first, doubling each round, so a query needing
/// n lengths costs fewer than 2n evaluations and about log₂(n / 16) rounds). For each length the window is placed where
/// the neighbour's map sums highest (for one step: its peak), as Native Guide does. Series are compared and changed in
/// the data's own units (missing values filled as the model fills them); the model scales each candidate itself.
/// </remarks>
public static class Counterfactuals
{
    // Window lengths a query is tried at in its first round; each later round doubles its share.
    private const int FirstRoundLengths = 16;

    // Candidate series classified per round at most (memory: this × C × L floats, twice).
    private const int MaxCandidatesPerRound = 4096;

    /// <summary>The counterfactual of every series of <paramref name="queries"/>.</summary>
    public static CounterfactualResults Explain(
        TimeSeriesClassifier classifier, TimeSeriesDataset training, TimeSeriesDataset queries, CounterfactualOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return Explain(classifier, training, queries, [.. Enumerable.Range(0, queries.Count)], options, cancellationToken);
    }

    /// <summary>The counterfactuals of series <paramref name="items"/> of <paramref name="queries"/>, in that order.</summary>
    /// <exception cref="DatasetFormatException">The training data is unlabelled, has labels the model does not know, or its
    /// channels or length differ from the model's; the queries' channels or length differ.</exception>
    /// <exception cref="CounterfactualException">The target is not a class of the model, or is a query's prediction.</exception>
    public static CounterfactualResults Explain(
        TimeSeriesClassifier classifier, TimeSeriesDataset training, TimeSeriesDataset queries, IReadOnlyList<int> items,
        CounterfactualOptions? options = null, CancellationToken cancellationToken = default) =>
        Explain(classifier, training, queries, items, null, options, cancellationToken);

    /// <summary>
    /// As the public overload, with a target class per item (<paramref name="itemTargets"/>, parallel to
    /// <paramref name="items"/>) instead of <see cref="CounterfactualOptions.Target"/>: e.g. each misclassified series
    /// toward its true class, all in one batched search. Null falls back to the options.
    /// </summary>
    internal static CounterfactualResults Explain(
        TimeSeriesClassifier classifier, TimeSeriesDataset training, TimeSeriesDataset queries, IReadOnlyList<int> items,
        IReadOnlyList<int>? itemTargets, CounterfactualOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(items);
        options ??= new CounterfactualOptions();
        CheckOptions(options, classifier);
        (training, queries) = (classifier.Conform(training), classifier.Conform(queries));
        CheckData(classifier, training, queries, items);
        if (itemTargets is not null && itemTargets.Count != items.Count)
            throw new ArgumentException($"expected one target per item ({items.Count}), found {itemTargets.Count}.", nameof(itemTargets));
        foreach (var bad in (itemTargets ?? []).Where(t => t < 0 || t >= classifier.Classes.Count))
            throw new CounterfactualException($"target class index {bad} is not a class of the model; expected 0 to {classifier.Classes.Count - 1} ({string.Join(", ", classifier.Classes)}).");

        var classes = classifier.Classes;
        var (channels, length) = (training.Channels, training.Length);
        var size = channels * length;
        var band = options.Band ?? (int)Math.Round(0.1 * length, MidpointRounding.AwayFromZero);

        // The series in their own units, missing values filled and padding zeroed as the model's input is.
        var unscaled = Normalizer.FromStatistics(Normalization.None, [], []);
        var trainValues = unscaled.Prepare(training, classifier.MissingValues);
        var querySet = queries.Subset(items);
        var queryValues = unscaled.Prepare(querySet, classifier.MissingValues);
        var queryLengths = querySet.Lengths;

        using var trainLoader = classifier.CreateLoader(training, options.BatchSize);
        var trainPredictions = classifier.Predict(trainLoader);
        var queryPredictions = classifier.Predict(Unlabelled(querySet.Name, queryValues, items.Count, channels, length, queryLengths), options.BatchSize);

        var targets = new int[items.Count];
        for (var q = 0; q < items.Count; q++)
            targets[q] = TargetOf(itemTargets is null ? options.Target : itemTargets[q], queryPredictions, q, items[q], classes);

        // Unlike neighbours: training series of the target class that the model also classifies as that class.
        var labels = trainLoader.Targets!;
        var byClass = Enumerable.Range(0, classes.Count)
            .Select(k => (IReadOnlyList<int>)[.. Enumerable.Range(0, training.Count).Where(i => labels[i] == k && trainPredictions.Predicted[i] == k)])
            .ToArray();
        var neighbours = NearestUnlikeNeighbours.Find(queryValues, trainValues, channels, length,
            [.. targets.Select(t => byClass[t])], options.Distance, band, cancellationToken);

        // The map of each distinct neighbour for its own prediction, the target class.
        var distinct = neighbours.Where(n => n.Index >= 0).Select(n => n.Index).Distinct().Order().ToArray();
        var explainer = new Explainer(classifier);
        var mapOptions = options.Map with { Target = MapTarget.Predicted };
        var maps = distinct.Length == 0 ? null : explainer.Explain(trainLoader, distinct, mapOptions);
        var windowSums = new Dictionary<int, double[]>();
        for (var k = 0; k < distinct.Length; k++)
            windowSums[distinct[k]] = PrefixSums(maps!.Map(k));

        var windowLengths = WindowLengths(length, options.WindowStep);
        var outcome = Grow(classifier, options, querySet.Name, queryValues, queryLengths, trainValues, channels, length, targets,
            neighbours, windowSums, windowLengths, cancellationToken);

        var results = new Counterfactual[items.Count];
        for (var q = 0; q < items.Count; q++)
        {
            var query = queryValues.AsSpan(q * size, size);
            var before = queryPredictions.Probabilities.Slice(q * classes.Count, classes.Count).ToArray();
            var (neighbour, neighbourDistance) = neighbours[q];
            var grown = outcome[q];
            if (grown.Values is not { } values)
            {
                results[q] = new Counterfactual
                {
                    Item = items[q], Outcome = neighbour < 0 ? CounterfactualOutcome.NoNeighbour : CounterfactualOutcome.NotFlipped,
                    Predicted = queryPredictions.Predicted[q], Target = targets[q], ProbabilitiesBefore = before, ProbabilitiesAfter = grown.Probabilities,
                    Neighbour = neighbour, NeighbourDistance = neighbourDistance, Values = null, WindowStart = 0, WindowLength = 0,
                    ChangedShare = 0, L1 = double.NaN, L2 = double.NaN, Dtw = double.NaN, DistanceToNeighbour = double.NaN,
                };
                continue;
            }
            var neighbourValues = trainValues.AsSpan(neighbour * size, size);
            results[q] = new Counterfactual
            {
                Item = items[q], Outcome = CounterfactualOutcome.Found,
                Predicted = queryPredictions.Predicted[q], Target = targets[q], ProbabilitiesBefore = before, ProbabilitiesAfter = grown.Probabilities,
                Neighbour = neighbour, NeighbourDistance = neighbourDistance, Values = values,
                WindowStart = grown.Start, WindowLength = grown.Length, ChangedShare = (double)grown.Length / length,
                L1 = L1(query, values), L2 = NearestUnlikeNeighbours.Euclidean(query, values),
                Dtw = Math.Sqrt(DynamicTimeWarping.SquaredDistance(query, values, channels, length, band, double.PositiveInfinity)),
                DistanceToNeighbour = options.Distance == SeriesDistance.Euclidean
                    ? NearestUnlikeNeighbours.Euclidean(values, neighbourValues)
                    : Math.Sqrt(DynamicTimeWarping.SquaredDistance(values, neighbourValues, channels, length, band, double.PositiveInfinity)),
            };
        }
        return new CounterfactualResults
        {
            Classes = classes, Channels = channels, Length = length, Distance = options.Distance, Band = band,
            Threshold = options.Threshold, MapTitle = Title(options.Map), Items = results,
        };
    }

    private readonly record struct Grown(float[]? Values, int Start, int Length, float[]? Probabilities);

    /// <summary>
    /// Grows each query's window in rounds: every unfinished query's next lengths, all classified in one set of forward
    /// passes; a query stops at the first length whose candidate the model predicts as its target with at least the
    /// threshold, or after the whole neighbour.
    /// </summary>
    private static Grown[] Grow(
        TimeSeriesClassifier classifier, CounterfactualOptions options, string name, float[] queryValues, IReadOnlyList<int> queryLengths,
        float[] trainValues, int channels, int length, int[] targets, (int Index, double Distance)[] neighbours,
        Dictionary<int, double[]> windowSums, int[] windowLengths, CancellationToken cancellationToken)
    {
        var size = channels * length;
        var classCount = classifier.Classes.Count;
        var grown = new Grown[targets.Length];
        var next = new int[targets.Length];                                   // index into windowLengths
        var share = Enumerable.Repeat(FirstRoundLengths, targets.Length).ToArray();
        var pending = Enumerable.Range(0, targets.Length).Where(q => neighbours[q].Index >= 0).ToList();
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // This round's candidates: (query, first length index, count), within the round's budget.
            var round = new List<(int Query, int First, int Count)>();
            var total = 0;
            foreach (var q in pending)
            {
                var count = Math.Min(share[q], windowLengths.Length - next[q]);
                if (total > 0 && total + count > MaxCandidatesPerRound)
                    break;
                round.Add((q, next[q], count));
                total += count;
            }

            var values = new float[total * size];
            var lengths = new int[total];
            var windows = new (int Start, int Length)[total];
            var row = 0;
            foreach (var (q, first, count) in round)
            {
                var neighbour = trainValues.AsSpan(neighbours[q].Index * size, size);
                for (var k = first; k < first + count; k++, row++)
                {
                    var window = Place(windowSums[neighbours[q].Index], windowLengths[k]);
                    windows[row] = window;
                    lengths[row] = queryLengths[q];
                    var candidate = values.AsSpan(row * size, size);
                    queryValues.AsSpan(q * size, size).CopyTo(candidate);
                    for (var c = 0; c < channels; c++)
                        neighbour.Slice(c * length + window.Start, window.Length).CopyTo(candidate[(c * length + window.Start)..]);
                }
            }
            var predictions = classifier.Predict(Unlabelled(name, values, total, channels, length, lengths), options.BatchSize);

            row = 0;
            foreach (var (q, first, count) in round)
            {
                var done = false;
                for (var k = 0; k < count; k++, row++)
                {
                    if (done)
                        continue;
                    var probabilities = predictions.Probabilities.Slice(row * classCount, classCount).ToArray();
                    if (predictions.Predicted[row] == targets[q] && probabilities[targets[q]] >= options.Threshold)
                    {
                        grown[q] = new Grown(values.AsSpan(row * size, size).ToArray(), windows[row].Start, windows[row].Length, probabilities);
                        done = true;
                    }
                    else if (first + k == windowLengths.Length - 1)
                    {
                        grown[q] = new Grown(null, 0, 0, probabilities); // the whole neighbour, and still not there
                        done = true;
                    }
                }
                if (done)
                {
                    pending.Remove(q);
                }
                else
                {
                    next[q] = first + count;
                    share[q] = Math.Min(2 * share[q], MaxCandidatesPerRound);
                }
            }
        }
        return grown;
    }

    /// <summary>The window of <paramref name="length"/> steps where the map sums highest (the first of equals).</summary>
    internal static (int Start, int Length) Place(double[] prefixSums, int length)
    {
        var best = 0;
        var bestSum = double.NegativeInfinity;
        for (var start = 0; start + length < prefixSums.Length; start++)
        {
            var sum = prefixSums[start + length] - prefixSums[start];
            if (sum > bestSum)
                (best, bestSum) = (start, sum);
        }
        return (best, length);
    }

    private static double[] PrefixSums(ReadOnlySpan<float> map)
    {
        var sums = new double[map.Length + 1];
        for (var t = 0; t < map.Length; t++)
            sums[t + 1] = sums[t] + map[t];
        return sums;
    }

    /// <summary>step, 2·step, ... below the length, then the whole length.</summary>
    private static int[] WindowLengths(int length, int step) =>
        [.. Enumerable.Range(1, (length - 1) / step).Select(k => k * step).Where(k => k < length), length];

    private static TimeSeriesDataset Unlabelled(string name, float[] values, int count, int channels, int length, IReadOnlyList<int> lengths) =>
        new(name, values, count, channels, length, null, lengths: [.. lengths]);

    private static int TargetOf(int? target, Predictions predictions, int q, int item, IReadOnlyList<string> classes)
    {
        var predicted = predictions.Predicted[q];
        if (target is { } chosen)
        {
            if (chosen == predicted)
            {
                var others = string.Join(", ", classes.Where((_, k) => k != predicted));
                throw new CounterfactualException(
                    $"item {item} is already predicted as class {classes[predicted]}; a counterfactual's target must be another class ({others}), or leave the target out for each item's runner-up.");
            }
            return chosen;
        }
        var runnerUp = -1;
        for (var k = 0; k < classes.Count; k++)
        {
            if (k != predicted && (runnerUp < 0 || predictions.Probability(q, k) > predictions.Probability(q, runnerUp)))
                runnerUp = k;
        }
        return runnerUp;
    }

    private static void CheckOptions(CounterfactualOptions options, TimeSeriesClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(options.Map);
        var classes = classifier.Classes;
        if (classes.Count < 2)
            throw new CounterfactualException($"the model knows one class ({classes[0]}); a counterfactual needs another class to aim at.");
        if (options.Target is { } target && (target < 0 || target >= classes.Count))
            throw new CounterfactualException($"target class index {target} is not a class of the model; expected 0 to {classes.Count - 1} ({string.Join(", ", classes)}).");
        if (!(options.Threshold > 0 && options.Threshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.Threshold, "Threshold must be a probability above 0 and at most 1");
        if (options.Band is < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.Band, "Band must be 0 steps or more");
        if (!Enum.IsDefined(options.Distance))
            throw new ArgumentOutOfRangeException(nameof(options), options.Distance, $"Distance must be one of {string.Join(", ", Enum.GetNames<SeriesDistance>())}");
        if (options.WindowStep < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.WindowStep, "WindowStep must be at least 1");
        if (options.BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "BatchSize must be at least 1");
    }

    private static void CheckData(TimeSeriesClassifier classifier, TimeSeriesDataset training, TimeSeriesDataset queries, IReadOnlyList<int> items)
    {
        var trainingName = training.Sources.Count > 0 ? training.Sources[0] : training.Name;
        var queriesName = queries.Sources.Count > 0 ? queries.Sources[0] : queries.Name;
        if (training.Channels != classifier.Model.InputChannels)
            throw new DatasetFormatException(trainingName, null,
                $"the model was trained on {classifier.Model.InputChannels}-channel series ({classifier.DatasetName}), this training data has {training.Channels} channels.");
        if (training.Length != classifier.SeriesLength)
            throw new DatasetFormatException(trainingName, null,
                $"the model was trained on series of length {classifier.SeriesLength} ({classifier.DatasetName}), this training data has length {training.Length}; give the model's own training file.");
        if (training.Labels is null)
            throw new DatasetFormatException(trainingName, null, "has no class labels; the neighbours a counterfactual borrows from are labelled training series.");
        if (queries.Channels != training.Channels || queries.Length != training.Length)
            throw new DatasetFormatException(queriesName, null,
                $"expected {training.Channels}-channel series of length {training.Length} as the training data, found {queries.Channels} channels of length {queries.Length}.");
        if (items.Count == 0)
            throw new ArgumentException("expected at least one item", nameof(items));
        foreach (var item in items)
        {
            if (item < 0 || item >= queries.Count)
                throw new ArgumentOutOfRangeException(nameof(items), item, $"expected items from 0 to {queries.Count - 1}");
        }
    }

    private static string Title(ExplainOptions map) =>
        map.Method.UsesReduction ? $"{map.Method.Name} - {map.Reduction.Name()}" : map.Method.Name;

    private static double L1(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
            sum += Math.Abs((double)a[i] - b[i]);
        return sum;
    }
}
