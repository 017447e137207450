using Chronoscope.Data;

namespace Chronoscope.Tests.Explain;

/// <summary>
/// Series whose class is decided by a planted bump: "bump" series carry a Gaussian bump (height 3, width σ 2 steps)
/// centred somewhere in the middle half, "flat" series only noise (σ 0.3). Each series' bump centre is known.
/// </summary>
internal static class PlantedBumps
{
    public const int Length = 64;

    public static (TimeSeriesDataset Data, int[] Centres) Create(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * Length];
        var labels = new string[count];
        var centres = new int[count];
        for (var n = 0; n < count; n++)
        {
            var bump = n % 2 == 0;
            labels[n] = bump ? "bump" : "flat";
            centres[n] = bump ? random.Next(Length / 4, 3 * Length / 4) : -1;
            for (var t = 0; t < Length; t++)
            {
                var noise = 0.3 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                var height = bump ? 3 * Math.Exp(-0.5 * Math.Pow((t - centres[n]) / 2.0, 2)) : 0;
                values[n * Length + t] = (float)(noise + height);
            }
        }
        return (new TimeSeriesDataset("Bumps", values, count, 1, Length, labels), centres);
    }

    /// <summary>The steps a bump occupies noticeably (within 2σ of its centre).</summary>
    public static (int First, int Last) Extent(int centre) => (centre - 4, centre + 4);
}
