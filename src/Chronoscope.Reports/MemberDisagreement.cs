namespace Chronoscope.Reports;

/// <summary>
/// Where the members of an ensemble disagree about a map: the steps at which the standard deviation of the members' maps
/// (<see cref="Explain.ActivationMaps.MemberSpread"/>) exceeds <see cref="Threshold"/> of the map's range (its largest
/// minus its smallest value over the steps given). A flat map marks nothing.
/// </summary>
internal static class MemberDisagreement
{
    /// <summary>The share of the map's range above which a step's member spread counts as disagreement: 0.25.</summary>
    public const double Threshold = 0.25;

    /// <summary>The rule in words, as the page states it.</summary>
    public const string Rule = "the standard deviation of the members' maps exceeds 0.25 of the map's range (its largest minus its smallest value)";

    /// <summary>
    /// The steps t of <paramref name="map"/> whose <paramref name="spread"/>[t] exceeds <see cref="Threshold"/> × the
    /// map's range, in order; steps whose map or spread is not finite (e.g. past a class's longest series) count for
    /// neither the range nor the marks.
    /// </summary>
    public static IReadOnlyList<int> Steps(IReadOnlyList<double> map, IReadOnlyList<double> spread)
    {
        if (map.Count != spread.Count)
            throw new ArgumentException($"expected a spread value per map step ({map.Count}), found {spread.Count}", nameof(spread));
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        for (var t = 0; t < map.Count; t++)
        {
            if (double.IsFinite(map[t]) && double.IsFinite(spread[t]))
                (low, high) = (Math.Min(low, map[t]), Math.Max(high, map[t]));
        }
        if (!(high > low))
            return [];
        var limit = Threshold * (high - low);
        return [.. Enumerable.Range(0, map.Count).Where(t => double.IsFinite(map[t]) && spread[t] > limit)];
    }

    /// <summary>Steps as runs, e.g. <c>3-7, 40, 52-60</c>.</summary>
    public static IReadOnlyList<(int First, int Last)> Runs(IReadOnlyList<int> steps)
    {
        var runs = new List<(int First, int Last)>();
        foreach (var t in steps)
        {
            if (runs.Count > 0 && runs[^1].Last == t - 1)
                runs[^1] = (runs[^1].First, t);
            else
                runs.Add((t, t));
        }
        return runs;
    }
}
