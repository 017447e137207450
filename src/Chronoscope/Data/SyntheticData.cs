namespace Chronoscope.Data;

/// <summary>
/// Noisy sines for benchmarks and tests, generated exactly as the PyTorch reference (<c>pytorch_inception.py</c>,
/// <c>synthetic()</c>) does, so both sides train on bit-identical inputs: series n is class <c>n % classes</c>,
/// <c>x[n,c,t] = amp·sin(2π(1+y)t/L + phase) + 0.5·N(0,1)</c>, every random number a counter hash (SplitMix64) of
/// (seed, position), independent of order and threads.
/// </summary>
internal static class SyntheticData
{
    /// <summary>A labelled dataset of <paramref name="count"/> series; labels are "0", "1", ...</summary>
    public static TimeSeriesDataset Create(int count, int channels, int length, int classes, int seed, string name = "Synthetic")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);

        var values = new float[(long)count * channels * length];
        var stride = 2UL * (ulong)length + 8; // counters per (series, channel): phase, amplitude, reserved, then two per step
        for (var n = 0; n < count; n++)
        {
            var frequency = 1 + n % classes;
            for (var c = 0; c < channels; c++)
            {
                var first = (ulong)(n * channels + c) * stride;
                var phase = 2 * Math.PI * Uniform(seed, first);
                var amplitude = 1.0 + 0.4 * (Uniform(seed, first + 1) - 0.5);
                var row = values.AsSpan((n * channels + c) * length, length);
                for (var t = 0; t < length; t++)
                {
                    var u1 = Uniform(seed, first + 8 + 2 * (ulong)t);
                    var u2 = Uniform(seed, first + 9 + 2 * (ulong)t);
                    var gaussian = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2); // Box–Muller
                    row[t] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * t / length + phase) + 0.5 * gaussian);
                }
            }
        }
        var labels = Enumerable.Range(0, count).Select(n => (n % classes).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new TimeSeriesDataset(name, values, count, channels, length, labels);
    }

    /// <summary>Uniform in (0, 1]: the top 53 bits of SplitMix64 of (seed · constant + counter).</summary>
    private static double Uniform(int seed, ulong counter)
    {
        var key = unchecked((ulong)(long)seed * 0xD1B54A32D192ED03UL + counter);
        return ((new SplitMix64(key).Next() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
    }
}
