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
    /// The channels' names, one per channel, shown beside each channel's panel or strip. Defaults to null:
    /// <c>ch0</c>, <c>ch1</c>, … (for maps from an <see cref="Explainer"/>, the names the data file gave, if any).
    /// </summary>
    public IReadOnlyList<string>? ChannelNames { get; init; }

    /// <summary>The name of channel <paramref name="channel"/>: <see cref="ChannelNames"/>, else <c>ch</c> and its index.</summary>
    internal string ChannelName(int channel) => ChannelNames?[channel] ?? $"ch{channel}";

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
    /// The picture of maps an <see cref="Explainer"/> computed: each series the maps carry (as read, before normalization,
    /// up to its true length) with its map over the same steps; titled by the class each map explains (named through
    /// <paramref name="classNames"/>, else its label) and by <see cref="ActivationMaps.Title"/>; coloured over
    /// [<see cref="ActivationMaps.Low"/>, <see cref="ActivationMaps.High"/>] (the scale range for scaled maps, the
    /// smallest and largest value of all maps for raw ones). A series on which the network's output is not finite
    /// (<see cref="ActivationMaps.NonFinite"/>) is drawn grey, without its meaningless map or confidence, and its class in
    /// the title is followed by <c>(output not finite)</c>.
    /// </summary>
    /// <param name="maps">The maps, with the series they explain.</param>
    /// <param name="classNames">Readable class names; null keeps the labels.</param>
    /// <param name="showConfidence">Show each item's <see cref="ActivationMaps.Confidence"/>, the model's probability for the explained class.</param>
    /// <exception cref="ArgumentException"><paramref name="classNames"/> names a class the model does not have.</exception>
    public static CamBatch FromMaps(ActivationMaps maps, ClassNames? classNames = null, bool showConfidence = false)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var names = classNames?.Resolve(maps.Classes) ?? maps.Classes;
        var items = new CamItem[maps.Count];
        for (var k = 0; k < maps.Count; k++)
        {
            var length = maps.SeriesLength(k);
            var map = maps.Channels == 1
                ? maps.Map(k)[..length].ToArray()
                : [.. Enumerable.Range(0, maps.Channels).SelectMany(c => maps.Map(k, c)[..length].ToArray())];
            var nonFinite = maps.NonFinite.Contains(k);
            if (nonFinite)
                map.AsSpan().Fill(float.NaN);
            items[k] = new CamItem(
                maps.Series(k).ToArray(), maps.SeriesChannels, map,
                names[maps.ExplainedClasses[k]] + (nonFinite ? " (output not finite)" : ""), showConfidence && !nonFinite ? maps.Confidence(k) : null);
        }
        var title = maps.SeriesChannels > 1 && maps.Channels == 1 ? maps.Title + " (time-only)" : maps.Title;
        return new CamBatch(items, title, maps.Low, maps.High) { ChannelNames = maps.ChannelNames };
    }
}
