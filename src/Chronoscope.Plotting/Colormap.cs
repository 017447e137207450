using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ScottPlot;

namespace Chronoscope.Plotting;

/// <summary>
/// A matplotlib colormap resampled to <see cref="Levels"/> colours, as the Python package draws class activation
/// maps (<c>plt.get_cmap(name, lut=254)</c>), with its value-to-colour rule
/// (<c>BoundaryNorm(linspace(low, high, 255), 254)</c>). The tables of the package's 164 names (82 maps and
/// each one's <c>_r</c> reverse) were computed by matplotlib (tools/colormaps/generate_colormaps.py).
/// </summary>
public sealed class Colormap
{
    /// <summary>The number of colours of every table: 254, the reference's <c>lut</c>.</summary>
    public const int Levels = 254;

    private static readonly Lazy<IReadOnlyDictionary<string, Colormap>> Tables = new(Load);

    private readonly Color[] _colors;

    private Colormap(string name, Color[] colors)
    {
        Name = name;
        _colors = colors;
    }

    /// <summary>The matplotlib name, e.g. <c>Spectral_r</c>.</summary>
    public string Name { get; }

    /// <summary>The <see cref="Levels"/> colours from the low end of the scale to the high end.</summary>
    public IReadOnlyList<Color> Colors => _colors;

    /// <summary>Every available name (164), in ordinal order. Names are case-sensitive, as in matplotlib.</summary>
    public static IReadOnlyList<string> Names => [.. Tables.Value.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The colormap called <paramref name="name"/> (case-sensitive, as matplotlib's, e.g. <c>viridis</c>, <c>hot_r</c>).</summary>
    /// <exception cref="ArgumentException">No colormap has that name; the message lists the nearest names.</exception>
    public static Colormap Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryGet(name, out var colormap))
            return colormap;
        var near = NearNames(name);
        var hint = near.Count > 0
            ? $"did you mean {string.Join(", ", near.Select(n => $"'{n}'"))}?"
            : $"the {Tables.Value.Count} names are matplotlib's, e.g. 'viridis', 'Spectral_r', 'seismic', 'hot_r' (see Colormap.Names).";
        throw new ArgumentException($"Unknown colormap '{name}' (names are case-sensitive): {hint}", nameof(name));
    }

    /// <summary>The colormap called <paramref name="name"/>, or false when there is none.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out Colormap? colormap) =>
        Tables.Value.TryGetValue(name, out colormap);

    /// <summary>Up to five names close to <paramref name="name"/> (same letters in another case, or a few edits away), nearest first.</summary>
    public static IReadOnlyList<string> NearNames(string name) => NameSuggestions.Closest(name, Tables.Value.Keys, 5);

    /// <summary>
    /// The colour of <paramref name="value"/> on a scale from <paramref name="low"/> to <paramref name="high"/>,
    /// by matplotlib's <c>BoundaryNorm(linspace(low, high, 255), 254)</c>: the scale is cut into 254 equal bins,
    /// each closed below and open above; a value below <paramref name="low"/> takes the first colour, a value at or
    /// above <paramref name="high"/> the last; NaN is transparent (matplotlib's "bad" colour).
    /// </summary>
    public Color ColorOf(double value, double low, double high)
    {
        var index = ColorIndexOf(value, low, high);
        return index is { } i ? _colors[i] : ScottPlot.Colors.Transparent;
    }

    /// <summary>The index into <see cref="Colors"/> that <see cref="ColorOf"/> uses, or null for NaN.</summary>
    public int? ColorIndexOf(double value, double low, double high)
    {
        if (double.IsNaN(value))
            return null;
        return Math.Clamp(BoundaryBin(value, low, high), 0, Levels - 1);
    }

    /// <summary>The same colormap with its colours in reverse order (<c>viridis</c> → <c>viridis_r</c>).</summary>
    public Colormap Reversed()
    {
        var name = Name.EndsWith("_r", StringComparison.Ordinal) ? Name[..^2] : Name + "_r";
        return TryGet(name, out var known) ? known : new Colormap(name, [.. _colors.Reverse()]);
    }

    /// <summary>
    /// matplotlib's <c>BoundaryNorm(linspace(low, high, 255), 254)(value)</c> for a finite value: −1 below
    /// <paramref name="low"/>, 254 at or above <paramref name="high"/>, otherwise the bin k with
    /// boundary[k] ≤ value &lt; boundary[k+1], where boundary[k] = k·step + low (step = (high − low)/254) and
    /// boundary[254] = high exactly, as numpy's <c>linspace</c> computes them.
    /// </summary>
    internal static int BoundaryBin(double value, double low, double high)
    {
        if (value < low)
            return -1;
        if (value >= high)
            return Levels;
        var step = (high - low) / Levels;
        // digitize: the number of boundaries ≤ value, minus one. Boundaries increase, so search.
        int lo = 0, hi = Levels; // boundary(lo) ≤ value < boundary(hi)
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            if (Boundary(mid, low, high, step) <= value)
                lo = mid;
            else
                hi = mid;
        }
        return lo;
    }

    private static double Boundary(int k, double low, double high, double step) => k == Levels ? high : (k * step) + low;

    private static Dictionary<string, Colormap> Load()
    {
        using var stream = typeof(Colormap).Assembly.GetManifestResourceStream("Chronoscope.Plotting.colormaps.txt")
            ?? throw new InvalidOperationException("The colormap table resource is missing from Chronoscope.Plotting.");
        using var reader = new StreamReader(stream);
        var tables = new Dictionary<string, Colormap>(StringComparer.Ordinal);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
                continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != Levels + 1)
                throw new InvalidOperationException($"colormaps.txt({lineNumber}): expected a name and {Levels} colours, found {fields.Length - 1} colours.");
            var colors = new Color[Levels];
            for (var i = 0; i < Levels; i++)
                colors[i] = ParseHex(fields[i + 1], lineNumber);
            tables.Add(fields[0], new Colormap(fields[0], colors));
        }
        return tables;
    }

    private static Color ParseHex(string hex, int lineNumber)
    {
        if (hex.Length is not (7 or 9) || hex[0] != '#'
            || !uint.TryParse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
        {
            throw new InvalidOperationException($"colormaps.txt({lineNumber}): expected a colour #rrggbb or #rrggbbaa, found '{hex}'.");
        }
        return hex.Length == 7
            ? new Color((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb, 255)
            : new Color((byte)(rgb >> 24), (byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
    }
}
