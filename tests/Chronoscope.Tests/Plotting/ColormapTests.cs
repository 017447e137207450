using Chronoscope.Plotting;

namespace Chronoscope.Tests.Plotting;

public sealed class ColormapTests
{
    // The 82 names of the Python package's CMAP class.
    private static readonly string[] PackageNames =
    [
        "Accent", "Blues", "BrBG", "BuGn", "BuPu", "CMRmap", "Dark2", "GnBu", "Greens", "Greys", "OrRd", "Oranges", "PRGn",
        "Paired", "Pastel1", "Pastel2", "PiYG", "PuBu", "PuBuGn", "PuOr", "PuRd", "Purples", "RdBu", "RdGy", "RdPu", "RdYlBu",
        "RdYlGn", "Reds", "Set1", "Set2", "Set3", "Spectral", "Wistia", "YlGn", "YlGnBu", "YlOrBr", "YlOrRd", "afmhot", "autumn",
        "binary", "bone", "brg", "bwr", "cividis", "cool", "coolwarm", "copper", "cubehelix", "flag", "gist_earth", "gist_gray",
        "gist_heat", "gist_ncar", "gist_rainbow", "gist_stern", "gist_yarg", "gnuplot", "gnuplot2", "gray", "hot", "hsv",
        "inferno", "jet", "magma", "nipy_spectral", "ocean", "pink", "plasma", "prism", "rainbow", "seismic", "spring",
        "summer", "tab10", "tab20", "tab20b", "tab20c", "terrain", "twilight", "twilight_shifted", "viridis", "winter",
    ];

    [Fact]
    public void Should_Hold_The_164_Tables_Of_The_Package_Each_Of_254_Colours()
    {
        // Given the package's 82 names and their reverses
        var expected = PackageNames.Concat(PackageNames.Select(n => n + "_r")).Order(StringComparer.Ordinal).ToArray();

        // When the available names are listed
        var names = Colormap.Names;

        // Then they are exactly those 164, each with 254 colours
        Assert.Equal(82, PackageNames.Length);
        Assert.Equal(164, names.Count);
        Assert.Equal(expected, names);
        Assert.All(names, n => Assert.Equal(Colormap.Levels, Colormap.Get(n).Colors.Count));
    }

    [Theory]
    [InlineData("viridis", "#440154", "#FDE725")] // matplotlib's documented viridis ends
    [InlineData("seismic", "#00004C", "#800000")] // (0, 0, 0.3) and (0.5, 0, 0) in matplotlib's seismic definition
    [InlineData("hot_r", "#FFFFFF", "#0B0000")]   // hot starts at (0.0416, 0, 0) → 0x0b and ends white
    [InlineData("Spectral_r", "#5E4FA2", "#9E0142")] // ColorBrewer Spectral's ends, reversed
    public void Should_Have_Matplotlibs_End_Colours(string name, string first, string last)
    {
        // Given a named colormap
        var colormap = Colormap.Get(name);

        // Then its first and last colours are matplotlib's
        Assert.Equal(first, colormap.Colors[0].ToHex()[..7]);
        Assert.Equal(last, colormap.Colors[^1].ToHex()[..7]);
    }

    [Fact]
    public void Should_Repeat_The_Ten_Tab10_Colours_In_Order()
    {
        // Given tab10 resampled to 254 entries (a listed colormap of 10 colours)
        var table = Colormap.Get("tab10").Colors.Select(c => c.ToHex()[..7]).ToArray();

        // When consecutive repeats are collapsed
        var runs = table.Where((c, i) => i == 0 || c != table[i - 1]).ToArray();

        // Then the runs are matplotlib's tab10 colours, each about 254 / 10 entries long
        Assert.Equal(["#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF"], runs);
        Assert.InRange(table.Count(c => c == "#1F77B4"), 25, 26);
    }

    [Theory]
    [InlineData("viridis")]
    [InlineData("Spectral")]
    [InlineData("hot")]
    [InlineData("tab20")]
    public void Should_Store_Each_Reverse_As_The_Table_Backwards(string name)
    {
        // Given a colormap and its _r reverse, both from matplotlib
        var forward = Colormap.Get(name).Colors;
        var backward = Colormap.Get(name + "_r").Colors;

        // Then one is the other read backwards, and Reversed() finds it
        Assert.Equal(forward.Reverse(), backward);
        Assert.Same(Colormap.Get(name + "_r"), Colormap.Get(name).Reversed());
        Assert.Same(Colormap.Get(name), Colormap.Get(name + "_r").Reversed());
    }

    [Theory]
    [InlineData("Viridis", "viridis")]
    [InlineData("spectral_r", "Spectral_r")]
    [InlineData("seismik", "seismic")]
    public void Should_Reject_An_Unknown_Name_And_Suggest_Near_Ones(string typed, string suggestion)
    {
        // When an unknown (case-sensitive) name is asked for
        var error = Assert.Throws<ArgumentException>(() => Colormap.Get(typed));

        // Then the message names it and suggests the real name
        Assert.Contains($"'{typed}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{suggestion}'", error.Message, StringComparison.Ordinal);
        Assert.False(Colormap.TryGet(typed, out _));
    }

    [Fact]
    public void Should_Point_To_The_Name_List_When_Nothing_Is_Near()
    {
        var error = Assert.Throws<ArgumentException>(() => Colormap.Get("completely-unrelated-name"));
        Assert.Contains("Colormap.Names", error.Message, StringComparison.Ordinal);
    }

    // Expected bins printed by matplotlib 3.6.3: BoundaryNorm(np.linspace(lo, hi, 255), 254)(values).
    [Theory]
    [InlineData(0.0, 1.0, -1.0, -1)]
    [InlineData(0.0, 1.0, 0.0, 0)]
    [InlineData(0.0, 1.0, -5e-324, -1)]
    [InlineData(0.0, 1.0, 0.003937007874015748, 1)] // exactly boundary 1: bins are closed below
    [InlineData(0.0, 1.0, 0.003937007874015747, 0)] // one ulp under it
    [InlineData(0.0, 1.0, 0.5, 127)]
    [InlineData(0.0, 1.0, 0.123456, 31)]
    [InlineData(0.0, 1.0, 0.999999999, 253)]
    [InlineData(0.0, 1.0, 1.0, 254)] // the top boundary itself is "over"
    [InlineData(0.0, 1.0, 6.0, 254)]
    [InlineData(-0.3, 2.7, -1.3, -1)]
    [InlineData(-0.3, 2.7, -0.3, 0)]
    [InlineData(-0.3, 2.7, -0.30000000000000004, -1)]
    [InlineData(-0.3, 2.7, -0.28818897637795277, 1)]
    [InlineData(-0.3, 2.7, -0.2881889763779528, 0)]
    [InlineData(-0.3, 2.7, 1.2000000000000002, 127)]
    [InlineData(-0.3, 2.7, 0.123456, 35)]
    [InlineData(-0.3, 2.7, 2.699999999, 253)]
    [InlineData(-0.3, 2.7, 2.7, 254)]
    [InlineData(-0.3, 2.7, 7.7, 254)]
    public void Should_Bin_Values_As_Matplotlibs_BoundaryNorm(double low, double high, double value, int bin)
    {
        Assert.Equal(bin, Colormap.BoundaryBin(value, low, high));
    }

    [Fact]
    public void Should_Bin_Float32_Maps_As_Matplotlib_Does()
    {
        // Given float32 map values (torch tensors are float32), compared to float64 boundaries as numpy does
        float[] values = [0.5f, 0.1f, 0.9f, 1f / 3];

        // Then the bins are matplotlib's for the same float32 array: [127, 25, 228, 84]
        Assert.Equal([127, 25, 228, 84], values.Select(v => Colormap.BoundaryBin(v, 0, 1)));
    }

    [Fact]
    public void Should_Colour_Under_Over_And_NaN_As_Matplotlib()
    {
        // Given viridis on [0, 1]
        var viridis = Colormap.Get("viridis");

        // Then below the range is the first colour, at or above it the last, the middle #21918c, and NaN transparent
        Assert.Equal(viridis.Colors[0], viridis.ColorOf(-3, 0, 1));
        Assert.Equal(viridis.Colors[^1], viridis.ColorOf(1, 0, 1));
        Assert.Equal(viridis.Colors[^1], viridis.ColorOf(7, 0, 1));
        Assert.Equal("#21918C", viridis.ColorOf(0.5, 0, 1).ToHex()[..7]);
        Assert.Equal(0, viridis.ColorOf(double.NaN, 0, 1).A);
        Assert.Null(viridis.ColorIndexOf(double.NaN, 0, 1));
    }
}
