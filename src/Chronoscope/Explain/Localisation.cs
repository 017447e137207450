using Chronoscope.Data;

namespace Chronoscope.Explain;

/// <summary>
/// Scores maps against a known truth (<see cref="PlantedPatternSet"/>): the share of absolute attribution mass inside
/// the planted cells, and the precision of the top-k cells with k the number of planted cells. Channel × time maps
/// are scored on (channel, step) cells; a time-only map (the CAM family) on steps, a step counting as planted when any
/// channel carries the pattern there. Absolute values are used, so a signed method gets credit for strong evidence
/// of either sign; raw (unscaled) maps should be scored, since min-max scaling moves mass.
/// </summary>
public static class Localisation
{
    /// <summary>The mean score over every map of <paramref name="maps"/>; <c>maps.Items</c> index <paramref name="truth"/>'s series.</summary>
    public static LocalisationScore Score(ActivationMaps maps, PlantedPatternSet truth)
    {
        ArgumentNullException.ThrowIfNull(maps);
        ArgumentNullException.ThrowIfNull(truth);
        if (maps.Length != truth.Data.Length)
            throw new ArgumentException($"maps of {maps.Length} steps cannot be scored against series of {truth.Data.Length}");
        if (maps.Channels != 1 && maps.Channels != truth.Data.Channels)
            throw new ArgumentException($"maps of {maps.Channels} channels cannot be scored against series of {truth.Data.Channels}");
        double mass = 0, precision = 0, found = 0;
        for (var k = 0; k < maps.Count; k++)
        {
            var (m, p) = ScoreItem(maps.Map(k), Cells(truth, maps.Items[k], maps.Channels));
            mass += m;
            precision += p;
            if (maps.Channels == 1)
                continue;
            var shares = ChannelImportance.Shares(maps, k);
            var best = Array.IndexOf(shares, shares.Max());
            found += truth.Options.PlantedChannels.Contains(best) ? 1 : 0;
        }
        var n = Math.Max(1, maps.Count);
        return new LocalisationScore(mass / n, precision / n, maps.Channels == 1 ? double.NaN : found / n, maps.Count);
    }

    /// <summary>(share of |map| inside, top-k precision) of one map against its planted cells (same layout).</summary>
    internal static (double MassInside, double TopKPrecision) ScoreItem(ReadOnlySpan<float> map, bool[] planted)
    {
        double inside = 0, total = 0;
        var k = 0;
        for (var i = 0; i < map.Length; i++)
        {
            var a = Math.Abs(map[i]);
            total += a;
            if (planted[i])
            {
                inside += a;
                k++;
            }
        }
        var order = Enumerable.Range(0, map.Length).ToArray();
        var keys = map.ToArray().Select(v => -Math.Abs(v)).ToArray();
        Array.Sort(keys, order); // ascending by −|a|: the strongest first
        var hits = order.Take(k).Count(i => planted[i]);
        return (total > 0 ? inside / total : 0, k > 0 ? (double)hits / k : 0);
    }

    /// <summary>Series <paramref name="item"/>'s planted cells for a map of <paramref name="rows"/> rows (1: any channel).</summary>
    private static bool[] Cells(PlantedPatternSet truth, int item, int rows)
    {
        var mask = truth.MaskOf(item);
        if (rows != 1 || truth.Data.Channels == 1)
            return mask.ToArray();
        var length = truth.Data.Length;
        var steps = new bool[length];
        for (var c = 0; c < truth.Data.Channels; c++)
        {
            for (var t = 0; t < length; t++)
                steps[t] |= mask[c * length + t];
        }
        return steps;
    }
}
