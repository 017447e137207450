namespace Chronoscope.Explain;

/// <summary>The reference's names of the reductions (<c>mean</c>, <c>median</c>, <c>max</c>, <c>mean_max</c>), used in titles and on the command line.</summary>
internal static class ReductionNames
{
    /// <summary>The reference's name, e.g. <c>mean_max</c>.</summary>
    public static string Name(this Reduction reduction) => reduction switch
    {
        Reduction.Mean => "mean",
        Reduction.Median => "median",
        Reduction.Max => "max",
        Reduction.MeanMax => "mean_max",
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, null),
    };

    /// <summary>
    /// The reduction called <paramref name="name"/>; anything else is an error that lists the names (the Python package
    /// silently returned the unreduced activations).
    /// </summary>
    public static Reduction Parse(string name) => name switch
    {
        "mean" => Reduction.Mean,
        "median" => Reduction.Median,
        "max" => Reduction.Max,
        "mean_max" => Reduction.MeanMax,
        _ => throw new ArgumentException($"unknown reduction \"{name}\"; expected mean, median, max or mean_max", nameof(name)),
    };
}
