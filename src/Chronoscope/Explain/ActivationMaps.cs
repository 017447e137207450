namespace Chronoscope.Explain;

/// <summary>
/// Class activation maps of some series: one value per time step of each input, with what a picture or a report needs
/// (the series each map lies over, which class each map explains, the predictions, the colour range). Plain arrays: no
/// tensors.
/// </summary>
public sealed class ActivationMaps
{
    private readonly float[] _values;
    private readonly float[] _probabilities;
    private readonly float[][] _series;

    // series: each item's series as read, (seriesChannels, its true length) row-major (TimeSeriesDataset.SeriesAsRead).
    internal ActivationMaps(
        MapMethod method, ExplainOptions options, int layer, string layerDescription, IReadOnlyList<string> classes,
        IReadOnlyList<int> items, int length, float[] values, IReadOnlyList<int> explained, IReadOnlyList<int>? labels, float[] probabilities,
        float[][] series, int seriesChannels, int channels = 1, IReadOnlyList<CompletenessCheck>? completeness = null)
    {
        _series = series;
        SeriesChannels = seriesChannels;
        Channels = channels;
        Completeness = completeness;
        Method = method;
        Reduction = options.Reduction;
        Layer = layer;
        LayerDescription = layerDescription;
        Classes = classes;
        Items = items;
        Length = length;
        _values = values;
        ExplainedClasses = explained;
        Labels = labels;
        _probabilities = probabilities;
        NonFinite = [.. Enumerable.Range(0, items.Count).Where(k => !AllFinite(probabilities.AsSpan(k * classes.Count, classes.Count)))];
        Scaled = options.ForceScale;
        if (Scaled)
        {
            (Low, High) = options.ScaleRange;
        }
        else
        {
            var finite = values.Where(float.IsFinite).DefaultIfEmpty(0f).ToArray();
            (Low, High) = (finite.Min(), finite.Max());
        }
    }

    /// <summary>The method that made the maps.</summary>
    public MapMethod Method { get; }

    /// <summary>The reduction used (meaningful when <see cref="MapMethod.UsesReduction"/>).</summary>
    public Reduction Reduction { get; }

    /// <summary>The explained layer's index and description.</summary>
    public int Layer { get; }

    public string LayerDescription { get; }

    /// <summary>The model's class names.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Which series of the data each map belongs to.</summary>
    public IReadOnlyList<int> Items { get; }

    /// <summary>How many maps.</summary>
    public int Count => Items.Count;

    /// <summary>T, values per map (the input length).</summary>
    public int Length { get; }

    /// <summary>
    /// Rows per map: the input's channels for input attributions (a channel × time map), 1 for the time-only CAM family
    /// and for Occlusion over all channels at once.
    /// </summary>
    public int Channels { get; }

    /// <summary>All maps, (Count, Channels, T) row-major; (Count, T) for time-only maps.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>Map <paramref name="k"/> (for <c>Items[k]</c>): Channels × T values, channel after channel.</summary>
    public ReadOnlySpan<float> Map(int k) => _values.AsSpan(k * Channels * Length, Channels * Length);

    /// <summary>Row <paramref name="channel"/> of map <paramref name="k"/>: T values.</summary>
    public ReadOnlySpan<float> Map(int k, int channel) => _values.AsSpan((k * Channels + channel) * Length, Length);

    /// <summary>
    /// For Integrated Gradients, each item's completeness check on the raw attributions (computed before any scaling);
    /// null for other methods.
    /// </summary>
    public IReadOnlyList<CompletenessCheck>? Completeness { get; }

    /// <summary>C, the channels of the explained series (the input's; <see cref="Channels"/> counts the rows of a map).</summary>
    public int SeriesChannels { get; }

    /// <summary>
    /// The series map <paramref name="k"/> explains (<c>Items[k]</c> of the data), as read (before normalization) and cut
    /// to its true length: (<see cref="SeriesChannels"/>, <see cref="SeriesLength"/>(k)) row-major. Step t of the map lies
    /// over step t of the series; map steps from <see cref="SeriesLength"/>(k) on lie over padding.
    /// </summary>
    public ReadOnlySpan<float> Series(int k) => _series[k];

    /// <summary>
    /// The names of the explained series' channels (<see cref="SeriesChannels"/> of them), as the data gave them
    /// (<see cref="Data.TimeSeriesDataset.ChannelNames"/>); null when the data does not name them.
    /// </summary>
    public IReadOnlyList<string>? ChannelNames { get; init; }

    /// <summary>The true length of the series map <paramref name="k"/> explains (at most <see cref="Length"/>).</summary>
    public int SeriesLength(int k) => _series[k].Length / SeriesChannels;

    /// <summary>(Count, Channels) shares of absolute attribution per channel, taken on the raw maps before any scaling; null for time-only maps.</summary>
    internal double[]? RawChannelShares { get; init; }

    /// <summary>The networks whose maps were averaged: 1, or the members of an ensemble.</summary>
    public int MemberCount { get; init; } = 1;

    /// <summary>
    /// For an ensemble, how much its members disagree: at each value of <see cref="Values"/>, the standard deviation of
    /// the members' maps around their mean (in the same units, scaled with the map when it was scaled); null for one
    /// network. The mean of the members' maps approximates the map of the averaged softmax; where the spread is large
    /// relative to the map, the members looked at different places.
    /// </summary>
    public float[]? MemberSpread { get; init; }

    /// <summary>The class each map explains (the label, the prediction or a chosen class).</summary>
    public IReadOnlyList<int> ExplainedClasses { get; }

    /// <summary>The true classes, or null for unlabelled data.</summary>
    public IReadOnlyList<int>? Labels { get; }

    /// <summary>The model's probability for class <paramref name="classIndex"/> of map <paramref name="k"/>'s series.</summary>
    public float Probability(int k, int classIndex)
    {
        // Without the class check, class K of map k would read class 0 of map k + 1.
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, Classes.Count);
        return _probabilities[k * Classes.Count + classIndex];
    }

    /// <summary>The predicted class of map <paramref name="k"/>'s series.</summary>
    public int Predicted(int k)
    {
        var best = 0;
        for (var c = 1; c < Classes.Count; c++)
            best = Probability(k, c) > Probability(k, best) ? c : best;
        return best;
    }

    /// <summary>
    /// The positions k (into <see cref="Items"/>) of the series on which the network's output is not finite (it overflowed,
    /// usually on huge values such as ±1e38): their prediction, confidence and map mean nothing; callers should say so
    /// and mark them, as for <see cref="Inference.Predictions.NonFinite"/>.
    /// </summary>
    public IReadOnlyList<int> NonFinite { get; }

    /// <summary>The probability of the explained class: how strongly the model believes what the map explains.</summary>
    public float Confidence(int k) => Probability(k, ExplainedClasses[k]);

    /// <summary>True when the maps were min-max scaled to [<see cref="Low"/>, <see cref="High"/>].</summary>
    public bool Scaled { get; }

    /// <summary>The colour range: the scale range when scaled, else the smallest and largest value over all maps.</summary>
    public double Low { get; }

    public double High { get; }

    private static bool AllFinite(ReadOnlySpan<float> row)
    {
        foreach (var p in row)
        {
            if (!float.IsFinite(p))
                return false;
        }
        return true;
    }

    /// <summary>The title part naming the method, e.g. <c>GRAD-CAM - mean</c> (the reduction only when the method uses one).</summary>
    public string Title => Method.UsesReduction ? $"{Method.Name} - {Reduction.Name()}" : Method.Name;
}
