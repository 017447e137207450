using System.Globalization;

namespace Chronoscope.Cli.Output;

/// <summary>Numbers and names in sentences: <c>421,666</c>, <c>1 channel</c>, <c>2 classes</c>, <c>0.001</c>, <c>"a", "b" and 3 more</c>.</summary>
internal static class Words
{
    /// <summary>An integer with thousands separators: 421,666.</summary>
    public static string Number(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"1 channel", "24 channels".</summary>
    public static string Plural(long n, string one, string many) => n == 1 ? $"1 {one}" : $"{Number(n)} {many}";

    /// <summary>A rate or setting as typed on a command line: 0.001, 1e-07.</summary>
    public static string Value(double value) => value.ToString("G6", CultureInfo.InvariantCulture).Replace('E', 'e');

    /// <summary>A duration in seconds with one decimal: "12.3 s".</summary>
    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>Names quoted and joined, the first <paramref name="shown"/> of them and how many more: "a", "b" and 3 more.</summary>
    public static string Quoted(IReadOnlyList<string> names, int shown = 10) =>
        string.Join(", ", names.Take(shown).Select(name => $"\"{name}\"")) + (names.Count > shown ? $" and {Number(names.Count - shown)} more" : "");
}
