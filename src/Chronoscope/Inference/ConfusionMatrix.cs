namespace Chronoscope.Inference;

/// <summary>
/// Counts of (actual class, predicted class) pairs, and the metrics that derive from them. An item with an actual class
/// but no prediction (<see cref="AddUnpredicted"/>: the network's output was not finite) is in no cell, but counts in
/// <see cref="Total"/> and its class's <see cref="ActualCount"/>, so every metric takes it as wrong.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;
    private readonly long[] _unpredicted;

    public ConfusionMatrix(IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(classes);
        Classes = classes;
        _counts = new long[classes.Count, classes.Count];
        _unpredicted = new long[classes.Count];
    }

    /// <summary>The class names, in index order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>How many items were counted, with a prediction or without.</summary>
    public long Total { get; private set; }

    /// <summary>How many items were counted without a prediction (<see cref="AddUnpredicted"/>).</summary>
    public long Unpredicted { get; private set; }

    /// <summary>How many items of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[actual, predicted];

    public void Add(int actual, int predicted)
    {
        _counts[actual, predicted]++;
        Total++;
    }

    /// <summary>Counts an item of class <paramref name="actual"/> for which there is no prediction: in no cell, and wrong in every metric.</summary>
    public void AddUnpredicted(int actual)
    {
        _unpredicted[actual]++;
        Total++;
        Unpredicted++;
    }

    /// <summary>Items of class <paramref name="actual"/> counted without a prediction.</summary>
    public long UnpredictedCount(int actual) => _unpredicted[actual];

    /// <summary>Share of items predicted right.</summary>
    public double Accuracy => Total == 0 ? double.NaN : (double)Enumerable.Range(0, Classes.Count).Sum(i => _counts[i, i]) / Total;

    /// <summary>1 − accuracy.</summary>
    public double ErrorRate => 1 - Accuracy;

    /// <summary>The mean recall over the classes that occur (classes with no actual items are left out, as scikit-learn does).</summary>
    public double BalancedAccuracy
    {
        get
        {
            var recalls = Enumerable.Range(0, Classes.Count).Where(i => ActualCount(i) > 0).Select(i => (double)_counts[i, i] / ActualCount(i)).ToList();
            return recalls.Count == 0 ? double.NaN : recalls.Average();
        }
    }

    /// <summary>The unweighted mean of the per-class F1 scores; a class never actual nor predicted is left out, one with no true positives scores 0.</summary>
    public double MacroF1
    {
        get
        {
            var scores = new List<double>();
            for (var i = 0; i < Classes.Count; i++)
            {
                long actual = ActualCount(i), predicted = PredictedCount(i);
                if (actual + predicted == 0)
                    continue;
                scores.Add(2.0 * _counts[i, i] / (actual + predicted));
            }
            return scores.Count == 0 ? double.NaN : scores.Average();
        }
    }

    /// <summary>Items whose actual class is <paramref name="index"/>, those without a prediction included.</summary>
    public long ActualCount(int index) => Enumerable.Range(0, Classes.Count).Sum(j => _counts[index, j]) + _unpredicted[index];

    /// <summary>Items predicted as class <paramref name="index"/>.</summary>
    public long PredictedCount(int index) => Enumerable.Range(0, Classes.Count).Sum(i => _counts[i, index]);

    /// <summary>Off-diagonal pairs with at least <paramref name="minimum"/> items, most frequent first (fastai's <c>most_confused</c>).</summary>
    public IReadOnlyList<(string Actual, string Predicted, long Count)> MostConfused(long minimum = 1)
    {
        var pairs = new List<(string, string, long)>();
        for (var i = 0; i < Classes.Count; i++)
        {
            for (var j = 0; j < Classes.Count; j++)
            {
                if (i != j && _counts[i, j] >= minimum)
                    pairs.Add((Classes[i], Classes[j], _counts[i, j]));
            }
        }
        return [.. pairs.OrderByDescending(p => p.Item3)];
    }

    /// <summary>The counts as rows of actual classes (items without a prediction are in no row).</summary>
    public long[][] ToRows() => [.. Enumerable.Range(0, Classes.Count).Select(i => Enumerable.Range(0, Classes.Count).Select(j => _counts[i, j]).ToArray())];
}
