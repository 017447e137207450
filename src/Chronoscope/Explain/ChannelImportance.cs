namespace Chronoscope.Explain;

/// <summary>
/// Which channel a channel × time map points at: each channel's share of the map's absolute attribution, taken on the
/// raw attributions (before min-max scaling, which would give every channel a share of the scale's offset).
/// </summary>
public static class ChannelImportance
{
    /// <summary>Map <paramref name="k"/>'s share per channel, summing to 1 (equal shares for an all-zero map).</summary>
    public static double[] Shares(ActivationMaps maps, int k)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var shares = new double[maps.Channels];
        for (var c = 0; c < maps.Channels; c++)
        {
            if (maps.RawChannelShares is { } raw)
            {
                shares[c] = raw[k * maps.Channels + c];
                continue;
            }
            foreach (var v in maps.Map(k, c))
                shares[c] += Math.Abs(v);
        }
        var total = shares.Sum();
        for (var c = 0; c < shares.Length; c++)
            shares[c] = total > 0 ? shares[c] / total : 1.0 / shares.Length;
        return shares;
    }

    /// <summary>The mean share per channel over the maps whose explained class is <paramref name="classIndex"/> (null: all maps).</summary>
    public static double[] MeanShares(ActivationMaps maps, int? classIndex = null)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var mean = new double[maps.Channels];
        var count = 0;
        for (var k = 0; k < maps.Count; k++)
        {
            if (classIndex is { } c && maps.ExplainedClasses[k] != c)
                continue;
            var shares = Shares(maps, k);
            for (var i = 0; i < mean.Length; i++)
                mean[i] += shares[i];
            count++;
        }
        return [.. mean.Select(v => count > 0 ? v / count : 0)];
    }
}
