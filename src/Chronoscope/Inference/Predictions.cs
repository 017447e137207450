namespace Chronoscope.Inference;

/// <summary>What a model says about each series: class probabilities, the predicted class, and, for labelled data, the truth and the loss.</summary>
public sealed class Predictions
{
    private readonly float[] _probabilities;
    private readonly int[] _predicted;
    private readonly int[]? _targets;
    private readonly float[]? _losses;
    private readonly bool[] _nonFinite;

    internal Predictions(IReadOnlyList<string> classes, float[] probabilities, int[]? targets)
    {
        Classes = classes;
        _probabilities = probabilities;
        Count = probabilities.Length / classes.Count;
        _predicted = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            var row = probabilities.AsSpan(i * classes.Count, classes.Count);
            for (var k = 1; k < row.Length; k++)
                _predicted[i] = row[k] > row[_predicted[i]] ? k : _predicted[i]; // the first maximum, as argmax
        }
        _nonFinite = [.. Enumerable.Range(0, Count).Select(i => !IsFinite(probabilities.AsSpan(i * classes.Count, classes.Count)))];
        NonFinite = [.. Enumerable.Range(0, Count).Where(i => _nonFinite[i])];
        _targets = targets;
        if (targets is not null)
            _losses = [.. targets.Select((t, i) => -MathF.Log(Math.Max(probabilities[i * classes.Count + t], float.Epsilon)))];
    }

    /// <summary>
    /// The items whose probabilities are not finite (NaN): the network overflowed on them, usually because their values
    /// are huge (±1e38). Their <see cref="Predicted"/> class means nothing; callers should say so and mark them. The
    /// counts and metrics here (<see cref="PredictedCounts"/>, <see cref="Correct"/>, <see cref="Accuracy"/>,
    /// <see cref="Confusion"/>) count them as no class, and as wrong.
    /// </summary>
    public IReadOnlyList<int> NonFinite { get; }

    private static bool IsFinite(ReadOnlySpan<float> row)
    {
        foreach (var p in row)
        {
            if (!float.IsFinite(p))
                return false;
        }
        return true;
    }

    /// <summary>The class names; probability column k is class <c>Classes[k]</c>.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>N, the number of series.</summary>
    public int Count { get; }

    /// <summary>Softmax probabilities, (N, K) row-major.</summary>
    public ReadOnlySpan<float> Probabilities => _probabilities;

    /// <summary>The predicted class index of each series (the most probable).</summary>
    public IReadOnlyList<int> Predicted => _predicted;

    /// <summary>The true class index of each series, or null for unlabelled data.</summary>
    public IReadOnlyList<int>? Targets => _targets;

    /// <summary>Each series' cross-entropy (−log of its true class's probability), or null for unlabelled data.</summary>
    public IReadOnlyList<float>? Losses => _losses;

    /// <summary>The probability series <paramref name="item"/> belongs to class <paramref name="classIndex"/>.</summary>
    public float Probability(int item, int classIndex)
    {
        // Without the class check, class K of item i would read class 0 of item i + 1.
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, Classes.Count);
        return _probabilities[item * Classes.Count + classIndex];
    }

    /// <summary>The probability of the predicted class: how sure the model is.</summary>
    public float Confidence(int item) => Probability(item, _predicted[item]);

    /// <summary>The predicted class name of series <paramref name="item"/>.</summary>
    public string PredictedClass(int item) => Classes[_predicted[item]];

    /// <summary>Whether series <paramref name="item"/> has a predicted class: false when it is one of <see cref="NonFinite"/>.</summary>
    public bool HasPrediction(int item) => !_nonFinite[item];

    /// <summary>
    /// How many series are predicted as each class (index k counts class <c>Classes[k]</c>); a series on which the
    /// network's output is not finite (<see cref="NonFinite"/>) counts as none.
    /// </summary>
    public IReadOnlyList<int> PredictedCounts()
    {
        var counts = new int[Classes.Count];
        for (var i = 0; i < Count; i++)
        {
            if (!_nonFinite[i])
                counts[_predicted[i]]++;
        }
        return counts;
    }

    /// <summary>How many series are predicted right, or null for unlabelled data; a <see cref="NonFinite"/> one never is.</summary>
    public int? Correct => _targets is null ? null : _targets.Where((t, i) => !_nonFinite[i] && t == _predicted[i]).Count();

    /// <summary>Share of series predicted right, or null for unlabelled data: <see cref="Correct"/> over all series, so a <see cref="NonFinite"/> one counts as wrong.</summary>
    public double? Accuracy => Correct is { } right ? (double)right / Count : null;

    /// <summary>
    /// The confusion matrix, or null for unlabelled data. A <see cref="NonFinite"/> series is in no cell but counts as
    /// wrong in its metrics (<see cref="ConfusionMatrix.AddUnpredicted"/>).
    /// </summary>
    public ConfusionMatrix? Confusion()
    {
        if (_targets is null)
            return null;
        var confusion = new ConfusionMatrix(Classes);
        for (var i = 0; i < Count; i++)
        {
            if (_nonFinite[i])
                confusion.AddUnpredicted(_targets[i]);
            else
                confusion.Add(_targets[i], _predicted[i]);
        }
        return confusion;
    }

    /// <summary>
    /// Predictions of one model over several sets (e.g. one per file) as one, items in the order given: item
    /// indices run across the parts. All parts must have the same classes, and all be labelled or all unlabelled.
    /// </summary>
    public static Predictions Concatenate(IReadOnlyList<Predictions> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
            throw new ArgumentException("expected at least one set of predictions", nameof(parts));
        var classes = parts[0].Classes;
        for (var p = 1; p < parts.Count; p++)
        {
            if (!parts[p].Classes.SequenceEqual(classes, StringComparer.Ordinal))
                throw new ArgumentException($"part {p} has classes {string.Join(", ", parts[p].Classes)}, expected {string.Join(", ", classes)} as part 0: predictions of different models cannot be pooled", nameof(parts));
            if ((parts[p]._targets is null) != (parts[0]._targets is null))
                throw new ArgumentException($"part {p} is {(parts[p]._targets is null ? "unlabelled" : "labelled")} but part 0 is not: pool labelled and unlabelled predictions separately", nameof(parts));
        }
        int[]? targets = parts[0]._targets is null ? null : [.. parts.SelectMany(p => p._targets!)];
        return new Predictions(classes, [.. parts.SelectMany(p => p._probabilities)], targets);
    }

    /// <summary>The <paramref name="count"/> series with the highest loss, worst first (fastai's <c>top_losses</c>).</summary>
    public IReadOnlyList<int> TopLosses(int count)
    {
        if (_losses is null)
            throw new InvalidOperationException("top losses need labelled data");
        return [.. Enumerable.Range(0, Count).OrderByDescending(i => _losses[i]).ThenBy(i => i).Take(count)];
    }
}
