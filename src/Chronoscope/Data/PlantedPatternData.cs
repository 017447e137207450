using System.Globalization;

namespace Chronoscope.Data;

/// <summary>
/// Synthetic sets with a known answer: Gaussian noise everywhere, and in each series one pattern
/// (<see cref="PlantedShape"/>) at a random position in the chosen channels; class "1" has it upright, class "0"
/// upside down (series n is class n % 2). Every random number is a counter hash of (seed, series, position), so a set
/// is the same on every machine and any series can be regenerated alone.
/// </summary>
public static class PlantedPatternData
{
    /// <summary>A set as <paramref name="options"/> say; the dataset is named <paramref name="name"/>.</summary>
    public static PlantedPatternSet Create(PlantedPatternOptions options, string name = "Planted")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Channels, 1);
        if (options.PatternLength < 1 || options.PatternLength > options.Length)
            throw new ArgumentOutOfRangeException(nameof(options), options.PatternLength, $"the pattern must be 1 to {options.Length} steps (the series' length)");
        if (options.PlantedChannels.Count == 0 || options.PlantedChannels.Any(c => c < 0 || c >= options.Channels) || options.PlantedChannels.Distinct().Count() != options.PlantedChannels.Count)
            throw new ArgumentOutOfRangeException(nameof(options), string.Join(",", options.PlantedChannels), $"planted channels must be distinct, from 0 to {options.Channels - 1}");
        if (!(options.Noise >= 0) || !double.IsFinite(options.Amplitude))
            throw new ArgumentOutOfRangeException(nameof(options), "the noise must be 0 or more and the amplitude a number");

        int n = options.Count, channels = options.Channels, length = options.Length, p = options.PatternLength;
        var values = new float[(long)n * channels * length];
        var mask = new bool[values.Length];
        var starts = new int[n];
        var stride = (ulong)(channels * length) * 2 + 4;
        for (var i = 0; i < n; i++)
        {
            var first = (ulong)i * stride;
            starts[i] = (int)Math.Min(length - p, Math.Floor(Uniform(options.Seed, first) * (length - p + 1)));
            var sign = i % 2 == 1 ? 1.0 : -1.0;
            for (var c = 0; c < channels; c++)
            {
                var row = values.AsSpan((i * channels + c) * length, length);
                for (var t = 0; t < length; t++)
                {
                    var counter = first + 4 + 2 * (ulong)(c * length + t);
                    var u1 = Uniform(options.Seed, counter);
                    var u2 = Uniform(options.Seed, counter + 1);
                    row[t] = (float)(options.Noise * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2)); // Box–Muller
                }
                if (!options.PlantedChannels.Contains(c))
                    continue;
                for (var k = 0; k < p; k++)
                {
                    row[starts[i] + k] += (float)(sign * options.Amplitude * Shape(options.Shape, p == 1 ? 0.5 : (k + 0.5) / p));
                    mask[(i * channels + c) * length + starts[i] + k] = true;
                }
            }
        }
        var labels = Enumerable.Range(0, n).Select(i => (i % 2).ToString(CultureInfo.InvariantCulture)).ToArray();
        return new PlantedPatternSet(new TimeSeriesDataset(name, values, n, channels, length, labels), mask, starts, options);
    }

    /// <summary>The shape's value at u in (0, 1) across the window.</summary>
    private static double Shape(PlantedShape shape, double u) => shape switch
    {
        PlantedShape.Bump => Math.Sin(Math.PI * u),
        PlantedShape.Step => 1,
        PlantedShape.SineBurst => Math.Sin(2 * Math.PI * 3 * u),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    /// <summary>Uniform in (0, 1]: the top 53 bits of SplitMix64 of (seed · constant + counter).</summary>
    private static double Uniform(int seed, ulong counter)
    {
        var key = unchecked((ulong)(long)seed * 0xA24BAED4963EE407UL + counter);
        return ((new SplitMix64(key).Next() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
    }
}
