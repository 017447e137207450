using System.Globalization;

namespace Chronoscope.Cli.Output;

/// <summary>Byte counts for people: <c>84.2 KiB</c>, <c>1.5 MiB</c>.</summary>
internal static class Sizes
{
    public static string Format(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes"
            : $"{value.ToString(value >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture)} {units[unit]}";
    }
}
