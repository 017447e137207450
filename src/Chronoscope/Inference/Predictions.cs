namespace Chronoscope.Inference;

/// <summary>What a model says about each series: class probabilities, the predicted class, and, for labelled data, the truth and the loss.</summary>
public sealed class Predictions
{
    private readonly float[] _probabilities;
    private readonly int[] _predicted;
    private readonly int[]? _targets;
    private readonly float[]? _losses;

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
        NonFinite = [.. Enumerable.Range(0, Count).Where(i => !IsFinite(probabilities.AsSpan(i * classes.Count, classes.Count)))];
        _targets = targets;
        if (targets is not null)
            _losses = [.. targets.Select((t, i) => -MathF.Log(Math.Max(probabilities[i * classes.Count + t], float.Epsilon)))];
    }

    /// <summary>
    /// The items whose probabilities are not finite (NaN): the network overflowed on them, usually because their values
    /// are huge (±1e38). Their <see cref="Predicted"/> class means nothing; callers should say so and mark them.
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
    public float Probability(int item, int classIndex) => _probabilities[item * Classes.Count + classIndex];

    /// <summary>The probability of the predicted class: how sure the model is.</summary>
    public float Confidence(int item) => Probability(item, _predicted[item]);

    /// <summary>The predicted class name of series <paramref name="item"/>.</summary>
    public string PredictedClass(int item) => Classes[_predicted[item]];

    /// <summary>Share of series predicted right, or null for unlabelled data.</summary>
    public double? Accuracy => _targets is null ? null : (double)_targets.Where((t, i) => t == _predicted[i]).Count() / Count;

    /// <summary>The confusion matrix, or null for unlabelled data.</summary>
    public ConfusionMatrix? Confusion()
    {
        if (_targets is null)
            return null;
        var confusion = new ConfusionMatrix(Classes);
        for (var i = 0; i < Count; i++)
            confusion.Add(_targets[i], _predicted[i]);
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
