using Chronoscope.Data;
using Chronoscope.Explain;

namespace Chronoscope.Plotting;

/// <summary>
/// The items of one class activation map picture with what its title and colour scale need. Made from an
/// <see cref="Explainer"/>'s result with <see cref="FromMaps"/>, or from arrays of your own with <see cref="Scaled"/>
/// and <see cref="Raw"/>.
/// </summary>
/// <param name="Items">The series and their maps, in the order their classes appear in the title.</param>
/// <param name="Method">The title part naming the method, e.g. <c>GRAD-CAM - mean</c> or <c>HiResCAM</c> (for maps from
/// an <see cref="Explainer"/>, <see cref="ActivationMaps.Title"/>); also the colour bar's default label.</param>
/// <param name="Low">The value of the colour scale's low end (see <see cref="Scaled"/> and <see cref="Raw"/>).</param>
/// <param name="High">The value of the colour scale's high end.</param>
public sealed record CamBatch(IReadOnlyList<CamItem> Items, string Method, double Low, double High)
{
    /// <summary>
    /// A batch whose maps were min-max scaled to [<paramref name="low"/>, <paramref name="high"/>] (the reference's
    /// <c>force_scale=True</c>, <c>scale_range=(0, 1)</c>): the colour scale is that range.
    /// </summary>
    public static CamBatch Scaled(IReadOnlyList<CamItem> items, string method, double low = 0, double high = 1) =>
        new(items, method, low, high);

    /// <summary>
    /// A batch of raw maps (the reference's <c>force_scale=False</c>): the colour scale runs from the smallest to the
    /// largest map value over the whole batch, so the items' colours compare.
    /// </summary>
    public static CamBatch Raw(IReadOnlyList<CamItem> items, string method)
    {
        ArgumentNullException.ThrowIfNull(items);
        var values = items.SelectMany(item => item.Map).Where(float.IsFinite).ToArray();
        if (values.Length == 0)
            throw new ArgumentException("Cannot take the colour scale of raw maps: expected at least one finite map value, found none.", nameof(items));
        return new(items, method, values.Min(), values.Max());
    }

    /// <summary>
    /// The picture of maps an <see cref="Explainer"/> computed for series of <paramref name="data"/>: each series as read
    /// (before normalization) up to its true length with its map over the same steps; titled by the class each map
    /// explains (named through <paramref name="classNames"/>, else its label) and by <see cref="ActivationMaps.Title"/>;
    /// coloured over [<see cref="ActivationMaps.Low"/>, <see cref="ActivationMaps.High"/>] (the scale range for scaled
    /// maps, the smallest and largest value of all maps for raw ones). A series on which the network's output is not
    /// finite (<see cref="ActivationMaps.NonFinite"/>) is drawn grey, without its meaningless map or confidence, and its
    /// class in the title is followed by <c>(output not finite)</c>.
    /// </summary>
    /// <param name="maps">The maps, for series <see cref="ActivationMaps.Items"/> of <paramref name="data"/>.</param>
    /// <param name="data">The data the maps were computed for (the same file or files, in the same order).</param>
    /// <param name="classNames">Readable class names; null keeps the labels.</param>
    /// <param name="showConfidence">Show each item's <see cref="ActivationMaps.Confidence"/>, the model's probability for the explained class.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> does not fit the maps (too few series, another length), or
    /// <paramref name="classNames"/> names a class the model does not have.</exception>
    public static CamBatch FromMaps(ActivationMaps maps, TimeSeriesDataset data, ClassNames? classNames = null, bool showConfidence = false)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != maps.Length)
            throw new ArgumentException($"The maps have {maps.Length} steps but {data.Name} has series of length {data.Length}: pass the data the maps were computed for.", nameof(data));
        if (maps.Items.Max() is var last && last >= data.Count)
            throw new ArgumentException($"The maps explain series {last} but {data.Name} has {data.Count} series (0 to {data.Count - 1}): pass the data the maps were computed for.", nameof(data));
        for (var k = 0; k < maps.Count; k++)
        {
            var index = maps.Items[k];
            if (maps.Labels is { } labels && data.Labels is { } read && !string.Equals(maps.Classes[labels[k]], read[index], StringComparison.Ordinal))
                throw new ArgumentException($"The map of series {index} was computed for class {maps.Classes[labels[k]]} but series {index} of {data.Name} is labelled {read[index]}: pass the data the maps were computed for.", nameof(data));
        }

        var names = classNames?.Resolve(maps.Classes) ?? maps.Classes;
        var items = new CamItem[maps.Count];
        for (var k = 0; k < maps.Count; k++)
        {
            var index = maps.Items[k];
            var length = data.Lengths[index];
            var map = maps.Channels == 1
                ? maps.Map(k)[..length].ToArray()
                : [.. Enumerable.Range(0, maps.Channels).SelectMany(c => maps.Map(k, c)[..length].ToArray())];
            var nonFinite = maps.NonFinite.Contains(k);
            if (nonFinite)
                map.AsSpan().Fill(float.NaN);
            items[k] = new CamItem(
                data.SeriesAsRead(index), data.Channels, map,
                names[maps.ExplainedClasses[k]] + (nonFinite ? " (output not finite)" : ""), showConfidence && !nonFinite ? maps.Confidence(k) : null);
        }
        var title = data.Channels > 1 && maps.Channels == 1 ? maps.Title + " (time-only)" : maps.Title;
        return new CamBatch(items, title, maps.Low, maps.High);
    }
}
