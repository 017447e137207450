using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;

namespace Chronoscope.Reports;

/// <summary>
/// What a run report shows about the validation set, computed in one pass over it in batches: each series' prediction,
/// the per-class map summary, and the maps of the few series the page draws (the misclassified ones with the highest
/// loss, the most confident correct ones per class). Memory grows with classes × length and the number of series
/// shown, not with the set: a batch's maps are dropped once summarised. Then, on a bounded number of series, how
/// faithful the maps are and the misclassified series' counterfactuals.
/// </summary>
internal sealed class RunReportFindings
{
    private RunReportFindings(ClassMapSummary summary, int[] predicted, IReadOnlyList<long>? labels, ShownSeries[] misclassified,
        int misclassifiedCount, ShownSeries[][] gallery, string layerDescription, int layer, FaithfulnessFinding? faithfulness,
        CounterfactualFinding? counterfactuals, int memberCount, double[][]? classSpread)
    {
        MemberCount = memberCount;
        _classSpread = classSpread;
        Faithfulness = faithfulness;
        Counterfactuals = counterfactuals;
        Summary = summary;
        Predicted = predicted;
        Labels = labels;
        Misclassified = misclassified;
        MisclassifiedCount = misclassifiedCount;
        Gallery = gallery;
        LayerDescription = layerDescription;
        Layer = layer;
    }

    private readonly double[][]? _classSpread;

    /// <summary>The networks whose maps were averaged: 1, or the members of an ensemble.</summary>
    public int MemberCount { get; }

    /// <summary>
    /// For an ensemble, the mean over the series of class <paramref name="classIndex"/> of the members' spread at each
    /// step (<see cref="ActivationMaps.MemberSpread"/>, NaN where no series reaches); null for one network.
    /// </summary>
    public double[]? ClassSpread(int classIndex) => _classSpread?[classIndex];

    /// <summary>Mean maps and series per class.</summary>
    public ClassMapSummary Summary { get; }

    /// <summary>The predicted class of every validation series; <see cref="NoPrediction"/> where the output was not finite.</summary>
    public IReadOnlyList<int> Predicted { get; }

    /// <summary>The class of a series whose network output was not finite: none (counted wrong, in no cell, never shown).</summary>
    public const int NoPrediction = -1;

    /// <summary>The true class of every validation series, or null for unlabelled data.</summary>
    public IReadOnlyList<long>? Labels { get; }

    /// <summary>The misclassified series shown, lowest probability of the true class first, with both maps.</summary>
    public IReadOnlyList<ShownSeries> Misclassified { get; }

    /// <summary>How many series were misclassified in all.</summary>
    public int MisclassifiedCount { get; }

    /// <summary>Per class, its correctly classified series shown (by the predicted class for unlabelled data), most confident first.</summary>
    public IReadOnlyList<IReadOnlyList<ShownSeries>> Gallery { get; }

    /// <summary>The explained layer's index and description.</summary>
    public int Layer { get; }

    public string LayerDescription { get; }

    /// <summary>The faithfulness of the page's map method against the random control, or null when not measured.</summary>
    public FaithfulnessFinding? Faithfulness { get; }

    /// <summary>The misclassified series' counterfactuals, or null for unlabelled data.</summary>
    public CounterfactualFinding? Counterfactuals { get; }

    /// <summary>The series counted.</summary>
    public int Count => Predicted.Count;

    /// <summary>The confusion matrix of the predictions, or null for unlabelled data.</summary>
    public ConfusionMatrix? Confusion()
    {
        if (Labels is null)
            return null;
        var confusion = new ConfusionMatrix(Summary.Classes);
        for (var i = 0; i < Count; i++)
        {
            if (Predicted[i] == NoPrediction)
                confusion.AddUnpredicted((int)Labels[i]);
            else
                confusion.Add((int)Labels[i], Predicted[i]);
        }
        return confusion;
    }

    /// <summary>
    /// The memory the page's largest pass takes: explaining <paramref name="validation"/>'s series a batch at a time (its
    /// faithfulness curves and counterfactuals take a few series, and predictions less per series).
    /// </summary>
    internal static MemoryNeed ExplanationMemory(TimeSeriesClassifier classifier, DataLoader validation, RunReportOptions options) =>
        new Explainer(classifier).ExplanationMemory(validation.Dataset, options.Explanation);

    /// <summary>Explains every series of <paramref name="validation"/> a batch at a time and keeps what the page shows.</summary>
    public static RunReportFindings Compute(
        TimeSeriesClassifier classifier, DataLoader validation, RunReportOptions options, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var explainer = new Explainer(classifier);
        var explain = options.Explanation;
        var classes = classifier.Classes.Count;
        var summary = new ClassMapSummary(classifier.Classes, validation.Dataset.Channels, validation.Dataset.Length);
        var predicted = new int[validation.Count];
        var labels = validation.Targets;
        var worst = new List<ShownSeries>();
        var wrong = new List<(int Index, float TrueProbability)>();
        var misclassifiedCount = 0;
        var best = Enumerable.Range(0, classes).Select(_ => new List<ShownSeries>()).ToArray();
        var (layer, layerDescription) = (0, "");
        var length = validation.Dataset.Length;
        var spreadSums = classifier.IsEnsemble ? Enumerable.Range(0, classes).Select(_ => new double[length]).ToArray() : null;
        var spreadCounts = classifier.IsEnsemble ? Enumerable.Range(0, classes).Select(_ => new int[length]).ToArray() : null;
        var done = 0;
        foreach (var chunk in Enumerable.Range(0, validation.Count).Chunk(options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var maps = explainer.Explain(validation, chunk, explain);
            (layer, layerDescription) = (maps.Layer, maps.LayerDescription);
            summary.Add(maps);
            for (var k = 0; k < maps.Count; k++)
            {
                var item = maps.Items[k];
                var label = maps.Labels?[k];
                if (!Enumerable.Range(0, classes).All(c => float.IsFinite(maps.Probability(k, c))))
                {
                    // No class for it (as Predictions and the learner's validation): wrong if labelled, and nothing to show.
                    predicted[item] = NoPrediction;
                    misclassifiedCount += label is null ? 0 : 1;
                    continue;
                }
                predicted[item] = maps.Predicted(k);
                var spread = maps.MemberSpread?.AsSpan(k * maps.Length, maps.Length).ToArray();
                if (spread is not null)
                {
                    // Grouped as ClassMapSummary groups the maps: by the true class, or the explained one for unlabelled data.
                    var classIndex = label ?? maps.ExplainedClasses[k];
                    for (var t = 0; t < maps.SeriesLength(k); t++)
                    {
                        spreadSums![classIndex][t] += spread[t];
                        spreadCounts![classIndex][t]++;
                    }
                }
                ShownSeries Shown() => new(item, label, predicted[item],
                    [.. Enumerable.Range(0, classes).Select(c => maps.Probability(k, c))], maps.Map(k).ToArray()) { Spread = spread };
                if (label is { } actual && actual != predicted[item])
                {
                    misclassifiedCount++;
                    var key = maps.Probability(k, actual);
                    wrong.Add((item, key));
                    if (Enters(worst, options.MaxMisclassified, s => key < s.Probabilities[s.Label!.Value]))
                        Keep(worst, Shown(), options.MaxMisclassified, LowestTrueProbabilityFirst);
                }
                else
                {
                    // Correct, or unlabelled (then grouped by the prediction).
                    var kept = best[predicted[item]];
                    var key = maps.Probability(k, predicted[item]);
                    if (Enters(kept, options.GalleryPerClass, s => key > s.Probabilities[s.Predicted]))
                        Keep(kept, Shown(), options.GalleryPerClass, MostConfidentFirst);
                }
            }
            done += chunk.Length;
            progress?.Report(done);
        }

        if (worst.Count > 0)
        {
            // What the model saw: each misclassified series explained for the class it chose.
            cancellationToken.ThrowIfCancellationRequested();
            var chosen = explainer.Explain(validation, [.. worst.Select(s => s.Index)], explain with { Target = MapTarget.Predicted });
            for (var k = 0; k < worst.Count; k++)
                worst[k] = worst[k] with { PredictedMap = chosen.Map(k).ToArray(), PredictedSpread = chosen.MemberSpread?.AsSpan(k * chosen.Length, chosen.Length).ToArray() };
        }

        var faithfulness = FaithfulnessFinding.Compute(classifier, validation, options, cancellationToken);
        // The misclassified in the order of the page's misclassified section: lowest probability of the true class first.
        var misclassified = wrong.OrderBy(w => w.TrueProbability).ThenBy(w => w.Index).Select(w => w.Index).ToList();
        var counterfactuals = labels is null ? null : CounterfactualFinding.Compute(classifier, validation, misclassified, options, cancellationToken);
        return new RunReportFindings(summary, predicted, labels, [.. worst], misclassifiedCount, [.. best.Select(b => b.ToArray())], layerDescription, layer,
            faithfulness, counterfactuals, classifier.Members.Count,
            spreadSums?.Select((sums, c) => sums.Select((sum, t) => spreadCounts![c][t] == 0 ? double.NaN : sum / spreadCounts[c][t]).ToArray()).ToArray());
    }

    /// <summary>
    /// True when a candidate belongs among the first <paramref name="limit"/> of <paramref name="kept"/> (sorted best
    /// first): there is room, or it beats the last. A tie keeps the earlier series, which came first.
    /// </summary>
    private static bool Enters(List<ShownSeries> kept, int limit, Func<ShownSeries, bool> beats) =>
        limit > 0 && (kept.Count < limit || beats(kept[^1]));

    /// <summary>Adds <paramref name="candidate"/> to <paramref name="kept"/> and keeps the first <paramref name="limit"/> in <paramref name="order"/>.</summary>
    private static void Keep(List<ShownSeries> kept, ShownSeries candidate, int limit, Comparison<ShownSeries> order)
    {
        kept.Add(candidate);
        kept.Sort(order);
        if (kept.Count > limit)
            kept.RemoveAt(kept.Count - 1);
    }

    private static int LowestTrueProbabilityFirst(ShownSeries a, ShownSeries b)
    {
        var byProbability = a.Probabilities[a.Label!.Value].CompareTo(b.Probabilities[b.Label!.Value]);
        return byProbability != 0 ? byProbability : a.Index.CompareTo(b.Index);
    }

    private static int MostConfidentFirst(ShownSeries a, ShownSeries b)
    {
        var byConfidence = b.Probabilities[b.Predicted].CompareTo(a.Probabilities[a.Predicted]);
        return byConfidence != 0 ? byConfidence : a.Index.CompareTo(b.Index);
    }
}

/// <summary>A validation series the report draws.</summary>
/// <param name="Index">The series' index in the validation set.</param>
/// <param name="Label">Its true class, or null for unlabelled data.</param>
/// <param name="Predicted">The predicted class.</param>
/// <param name="Probabilities">The model's probability of each class.</param>
/// <param name="Map">The map explaining the true class (the prediction for unlabelled data), scaled.</param>
/// <param name="PredictedMap">For a misclassified series, the map explaining the predicted class.</param>
internal sealed record ShownSeries(int Index, int? Label, int Predicted, float[] Probabilities, float[] Map, float[]? PredictedMap = null)
{
    /// <summary>For an ensemble, the members' spread around <see cref="Map"/> at each step (scaled with it); null for one network.</summary>
    public float[]? Spread { get; init; }

    /// <summary>For an ensemble's misclassified series, the members' spread around <see cref="PredictedMap"/>.</summary>
    public float[]? PredictedSpread { get; init; }
}
