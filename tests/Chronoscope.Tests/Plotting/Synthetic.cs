using Chronoscope.Plotting;

namespace Chronoscope.Tests.Plotting;

/// <summary>Synthetic series and maps for pictures: GunPoint-like bumps and Gaussian maps, no dataset needed.</summary>
internal static class Synthetic
{
    /// <summary>A bump (a raised plateau, like a hand lifted and lowered) of the given height on a sine ripple, length T.</summary>
    public static float[] Bump(int length, double height, double centre, double ripple = 0.1, double phase = 0)
    {
        var values = new float[length];
        for (var t = 0; t < length; t++)
        {
            var x = (t - centre) / (length / 6.0);
            values[t] = (float)((height * Math.Exp(-Math.Pow(x, 4))) + (ripple * Math.Sin((t / 6.0) + phase)) - 0.8);
        }
        return values;
    }

    /// <summary>A Gaussian bump from <paramref name="low"/> to <paramref name="high"/> centred on <paramref name="centre"/>.</summary>
    public static float[] GaussianMap(int length, double centre, double width, double low = 0, double high = 1)
    {
        var map = new float[length];
        for (var t = 0; t < length; t++)
            map[t] = (float)(low + ((high - low) * Math.Exp(-0.5 * Math.Pow((t - centre) / width, 2))));
        return map;
    }

    /// <summary>Channels stacked (C, T) row-major.</summary>
    public static float[] Stack(params float[][] channels) => [.. channels.SelectMany(c => c)];

    public static CamItem GunItem(double? confidence = null) =>
        new(Bump(150, 2.2, 75, phase: 0.3), 1, GaussianMap(150, 45, 12), "Gun", confidence);

    public static CamItem PointItem(double? confidence = null) =>
        new(Bump(150, 1.8, 80, phase: 1.1), 1, GaussianMap(150, 100, 18), "Point", confidence);
}
