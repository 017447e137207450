namespace Chronoscope.Plotting;

/// <summary>
/// The items of one class activation map picture with what its title and colour scale need.
/// </summary>
/// <param name="Items">The series and their maps, in the order their classes appear in the title.</param>
/// <param name="MethodName">The method's name in the title, e.g. <c>CAM</c> or <c>GRAD-CAM</c>.</param>
/// <param name="Reduction">The reduction in the title, e.g. <c>mean</c>, <c>median</c>, <c>max</c>, <c>mean_max</c>.</param>
/// <param name="Low">The value of the colour scale's low end (see <see cref="Scaled"/> and <see cref="Raw"/>).</param>
/// <param name="High">The value of the colour scale's high end.</param>
public sealed record CamBatch(IReadOnlyList<CamItem> Items, string MethodName, string Reduction, double Low, double High)
{
    /// <summary>
    /// A batch whose maps were min-max scaled to [<paramref name="low"/>, <paramref name="high"/>] (the reference's
    /// <c>force_scale=True</c>, <c>scale_range=(0, 1)</c>): the colour scale is that range.
    /// </summary>
    public static CamBatch Scaled(IReadOnlyList<CamItem> items, string methodName, string reduction, double low = 0, double high = 1) =>
        new(items, methodName, reduction, low, high);

    /// <summary>
    /// A batch of raw maps (the reference's <c>force_scale=False</c>): the colour scale runs from the smallest to the
    /// largest map value over the whole batch, so the items' colours compare.
    /// </summary>
    public static CamBatch Raw(IReadOnlyList<CamItem> items, string methodName, string reduction)
    {
        ArgumentNullException.ThrowIfNull(items);
        var values = items.SelectMany(item => item.Map).Where(float.IsFinite).ToArray();
        if (values.Length == 0)
            throw new ArgumentException("Cannot take the colour scale of raw maps: expected at least one finite map value, found none.", nameof(items));
        return new(items, methodName, reduction, values.Min(), values.Max());
    }
}
