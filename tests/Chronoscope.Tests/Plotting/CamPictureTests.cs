using System.Text.RegularExpressions;
using Chronoscope.Plotting;
using ScottPlot;
using Colormap = Chronoscope.Plotting.Colormap;

namespace Chronoscope.Tests.Plotting;

public sealed partial class CamPictureTests
{
    [Fact]
    public void Should_Title_An_Overlay_With_The_Classes_Method_And_Reduction()
    {
        // Given a Gun and a Point item drawn together
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem(), Synthetic.PointItem()], "GRAD-CAM - mean"));

        // Then the title is the notebook's, in the plot and in the SVG text
        Assert.Equal("[Gun - Point] - GRAD-CAM - mean", Assert.Single(figure.Plots).Axes.Title.Label.Text);
        Assert.Contains("[Gun - Point] - GRAD-CAM - mean", figure.GetSvgXml(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Append_Confidences_As_Percentages_Not_The_Literal_Text()
    {
        // Given items with the model's confidence (the package printed "confidence[0]" instead)
        using var overlay = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem(0.9734), Synthetic.PointItem(0.5)], "CAM - max"));
        using var grid = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem(0.9734), Synthetic.PointItem()], "CAM - max"),
            new CamPlotOptions { Layout = CamLayout.Grid });

        // Then the overlay's second title line and each grid panel's title carry them as percentages
        Assert.Equal("[Gun - Point] - CAM - max\nconfidence 97.3% - 50.0%", overlay.Plots[0].Axes.Title.Label.Text);
        Assert.Equal("[Gun] - CAM - max - 97.3%", grid.Plots[0].Axes.Title.Label.Text);
        Assert.Equal("[Point] - CAM - max", grid.Plots[1].Axes.Title.Label.Text);
        Assert.DoesNotContain("confidence[", overlay.GetSvgXml(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Draw_Each_Series_As_Length_Minus_One_Coloured_Segments()
    {
        // Given two series of 150 steps, solid lines
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem(), Synthetic.PointItem()], "GRAD-CAM - mean"));

        // When written as SVG
        var segments = StrokedSegment().Matches(figure.GetSvgXml()).ToArray();

        // Then there are 2 × 149 round-capped segments, each stroked with a Spectral_r colour
        var palette = Colormap.Get("Spectral_r").Colors.Select(c => c.ToHex()[..7]).ToHashSet();
        Assert.Equal(2 * 149, segments.Length);
        Assert.All(segments, s => Assert.Contains(ColorHex(s.Groups[1].Value), palette));
    }

    [Fact]
    public void Should_Keep_The_Asked_Line_Style_For_Every_Series()
    {
        // Given two items drawn solid and two drawn dashed (the package forced the second and later ones to dashed)
        var items = new[] { Synthetic.GunItem(), Synthetic.PointItem() };
        using var solid = Pictures.ShowCam(CamBatch.Scaled(items, "CAM - mean"), new CamPlotOptions { LineStyle = SeriesLineStyle.Solid });
        using var dashed = Pictures.ShowCam(CamBatch.Scaled(items, "CAM - mean"), new CamPlotOptions { LineStyle = SeriesLineStyle.Dashed });

        // Then every segment of both series is a plain stroke when solid, and none is when dashed (dashes are cut into pieces)
        Assert.Equal(2 * 149, StrokedSegment().Matches(solid.GetSvgXml()).Count);
        var dashedSvg = dashed.GetSvgXml();
        Assert.Empty(StrokedSegment().Matches(dashedSvg));
        Assert.True(FilledPiece().Matches(dashedSvg).Count > 2 * 20, "expected dash pieces along both series");
    }

    [Fact]
    public void Should_Colour_Segment_I_By_Map_Value_I_With_The_Colormap()
    {
        // Given a flat, thick line over 3 steps whose map is 0, 1, 0.5: matplotlib colours segment 0 by map[0] and
        // segment 1 by map[1]; map[2] colours nothing
        var item = new CamItem([0f, 0f, 0f], 1, [0f, 1f, 0.5f], "Flat");
        using var figure = Pictures.ShowCam(CamBatch.Scaled([item], "CAM - mean"), new CamPlotOptions { Colormap = "viridis", LineWidth = 20 });
        using var bitmap = PngHeader.Decode(figure.GetPngBytes());
        var plot = figure.Plots[0];

        // When the middle of each segment is read
        var first = plot.GetPixel(new Coordinates(0.5, 0));
        var second = plot.GetPixel(new Coordinates(1.5, 0));

        // Then segment 0 has viridis' first colour and segment 1 its last (the top of the scale)
        Assert.Equal("#440154", Hex(bitmap.GetPixel((int)first.X, (int)first.Y)));
        Assert.Equal("#FDE725", Hex(bitmap.GetPixel((int)second.X, (int)second.Y)));
    }

    [Fact]
    public void Should_Draw_A_Colour_Bar_From_The_First_Colour_Up_To_The_Last()
    {
        // Given a picture with the seismic colormap
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem()], "CAM - mean"), new CamPlotOptions { Colormap = "seismic" });
        using var bitmap = PngHeader.Decode(figure.GetPngBytes());
        var data = figure.Plots[0].LastRender.DataRect;

        // When the column right of the data area whose top pixel is seismic's last colour is looked for
        var seismic = Colormap.Get("seismic").Colors;
        var bar = Enumerable.Range((int)data.Right + 2, figure.Width - (int)data.Right - 2)
            .Where(x => Hex(bitmap.GetPixel(x, (int)data.Top + 2)) == seismic[^1].ToHex()[..7])
            .ToArray();

        // Then such a column exists, its bottom is the first colour, and its middle is the middle of the scale
        Assert.NotEmpty(bar);
        var x = bar[bar.Length / 2];
        Assert.Equal(seismic[0].ToHex()[..7], Hex(bitmap.GetPixel(x, (int)data.Bottom - 2)));
        var middle = bitmap.GetPixel(x, (int)((data.Top + data.Bottom) / 2));
        Assert.True(middle.Red > 200 && middle.Green > 200 && middle.Blue > 200, $"seismic is white in the middle, found {Hex(middle)}");
        Assert.Equal("CAM - mean", figure.Plots[0].Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>().Single().Label);
    }

    [Theory]
    [InlineData(-1.0, 2.0, -1.3, 2.3)]  // centred data: the same as the reference's ×1.2 when min = −max
    [InlineData(0.5, 2.0, 0.35, 2.15)]  // positive minimum: ×1.2 would have cut the data (0.6 > 0.5)
    [InlineData(-3.0, -1.0, -3.2, -0.8)] // negative maximum: ×1.2 would have cut it (−1.2 < −1)
    public void Should_Show_All_Data_With_A_Tenth_Of_Its_Range_Above_And_Below(double min, double max, double bottom, double top)
    {
        // Given a series running from min to max over 11 steps
        var series = Enumerable.Range(0, 11).Select(t => (float)(min + ((max - min) * t / 10.0))).ToArray();
        using var figure = Pictures.ShowCam(CamBatch.Scaled([new CamItem(series, 1, new float[11], "A")], "CAM - mean"));

        // Then x spans the steps exactly and y the data plus 10% of its range on each side
        var limits = figure.Plots[0].Axes.GetLimits();
        Assert.Equal((0, 10), (limits.Left, limits.Right));
        Assert.Equal(bottom, limits.Bottom, 5);
        Assert.Equal(top, limits.Top, 5);
    }

    [Fact]
    public void Should_Scale_Raw_Maps_By_The_Global_Minimum_And_Maximum_Of_The_Batch()
    {
        // Given two raw maps with different ranges
        var a = Synthetic.GunItem() with { Map = [-0.5f, 0.25f, .. new float[148]] };
        var b = Synthetic.PointItem() with { Map = [3f, 1f, .. new float[148]] };

        // When the batch is made raw, or scaled
        var raw = CamBatch.Raw([a, b], "GRAD-CAM - mean");
        var scaled = CamBatch.Scaled([a, b], "GRAD-CAM - mean");

        // Then the raw scale runs over every value of both maps, the scaled one over (0, 1)
        Assert.Equal((-0.5, 3.0), (raw.Low, raw.High));
        Assert.Equal((0.0, 1.0), (scaled.Low, scaled.High));
    }

    [Fact]
    public void Should_Draw_Scatter_Points_In_Each_Grid_Panel_Of_One_Figure()
    {
        // Given two items drawn as points in a grid (the package drew each in a new figure and left the grid empty)
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem(), Synthetic.PointItem()], "CAM - mean"),
            new CamPlotOptions { Scatter = true, Layout = CamLayout.Grid, Colormap = "hot_r" });

        // Then the one figure has both panels, each with its item's 150 points, and no line segments
        Assert.Equal(2, figure.Plots.Count);
        Assert.All(figure.Plots, plot => Assert.IsType<ColoredMarkersPlot>(Assert.Single(plot.GetPlottables())));
        var svg = figure.GetSvgXml();
        Assert.Empty(StrokedSegment().Matches(svg));
        var palette = Colormap.Get("hot_r").Colors.Select(c => c.ToHex()[..7].ToUpperInvariant()).ToHashSet();
        var points = FilledDot().Matches(svg).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(2 * 150, points.Length);
        Assert.All(points, fill => Assert.Contains(ColorHex(fill), palette));
    }

    [Fact]
    public void Should_Draw_Each_Channel_Of_A_Multivariate_Series_In_Its_Own_Panel_Coloured_By_The_Same_Map()
    {
        // Given two items of 3 channels, drawn together
        var map = Synthetic.GaussianMap(50, 25, 5);
        CamItem Item(string name, float offset) => new(
            [.. Enumerable.Range(0, 150).Select(i => (float)Math.Sin(i / 7.0) + offset + (i / 50))], 3, map, name);
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Item("Walking", 0), Item("Running", 1)], "GRAD-CAM - mean"));

        // Then the one cell holds a panel per channel, top to bottom, each with both series coloured by the same map
        Assert.Equal(3, figure.Plots.Count);
        Assert.Equal([0, 0, 0], figure.PanelCells);
        Assert.Equal(["ch0", "ch1", "ch2"], figure.Plots.Select(p => p.Axes.Left.Label.Text));
        Assert.Equal("[Walking - Running] - GRAD-CAM - mean", figure.Plots[0].Axes.Title.Label.Text);
        Assert.True(figure.PanelRectangles[0].Bottom <= figure.PanelRectangles[1].Top);
        Assert.All(figure.Plots, plot => Assert.Equal(2, plot.GetPlottables().OfType<ColoredLinePlot>().Count()));
        Assert.Equal(3 * 2 * 49, StrokedSegment().Matches(figure.GetSvgXml()).Count);
    }

    [Fact]
    public void Should_Apply_Alpha_To_The_Segment_Colours()
    {
        // Given a half-transparent line
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem()], "CAM - mean"), new CamPlotOptions { Alpha = 0.5 });

        // Then each segment is stroked at half opacity
        var opacities = Regex.Matches(figure.GetSvgXml(), "stroke-linecap=\"round\"[^>]*stroke-opacity=\"([0-9.]+)\"|stroke-opacity=\"([0-9.]+)\"[^>]*stroke-linecap=\"round\"")
            .Select(m => double.Parse(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(149, opacities.Length);
        Assert.All(opacities, o => Assert.Equal(0.5, o, 2));
    }

    [Theory]
    [InlineData(149, 1, "expected one map value per time step (150), found 149")]
    [InlineData(150, 4, "expected a series of C × T values with C = 4, found 150 values")]
    public void Should_Say_What_Is_Wrong_With_An_Item(int mapLength, int channels, string message)
    {
        var item = new CamItem(new float[150], channels, new float[mapLength], "A");
        var error = Assert.Throws<ArgumentException>(() => Pictures.ShowCam(CamBatch.Scaled([item], "CAM - mean")));
        Assert.Contains("CAM item 0: " + message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>An SVG colour as SkiaSharp writes it (#RRGGBB, #RGB, or a name such as white) as #RRGGBB.</summary>
    private static string ColorHex(string svgColor) => svgColor switch
    {
        "white" => "#FFFFFF",
        "black" => "#000000",
        ['#', var r, var g, var b] => $"#{r}{r}{g}{g}{b}{b}",
        _ => svgColor,
    };

    private static string Hex(SkiaSharp.SKColor color) => $"#{color.Red:X2}{color.Green:X2}{color.Blue:X2}";

    // A segment stroked in one colour with a round cap, as SkiaSharp writes a solid line segment.
    [GeneratedRegex("<path fill=\"none\" stroke=\"(#[0-9A-F]{6}|#[0-9A-F]{3})\" stroke-width=\"[0-9.]+\" stroke-linecap=\"round\"[^>]*d=\"M[^\"]*\"")]
    private static partial Regex StrokedSegment();

    // A filled circle (SkiaSharp writes circles as ellipses; a few colours by name).
    [GeneratedRegex("<ellipse fill=\"(#[0-9A-F]{6}|#[0-9A-F]{3}|[a-z]+)\" cx=")]
    private static partial Regex FilledDot();

    // A filled outline: SkiaSharp writes each dash of a dashed stroke as one.
    [GeneratedRegex("<path fill=\"(#[0-9A-F]{6}|#[0-9A-F]{3}|[a-z]+)\" d=\"M")]
    private static partial Regex FilledPiece();

    [Fact]
    public void Should_Wrap_A_Title_Wider_Than_Its_Picture_Before_Its_Separators_And_Cut_A_Name_Longer_Than_A_Line()
    {
        // Given three classes with long names, and one with a name of 2,000 characters (before, the title ran off both
        // sides of the picture)
        CamItem Named(string name) => Synthetic.GunItem() with { ClassName = name };
        using var figure = Pictures.ShowCam(CamBatch.Scaled(
            [Named("Abnormal heartbeat (ventricular ectopic)"), Named("Normal sinus rhythm"), Named("Supraventricular premature beat of the atrium")],
            "GRAD-CAM - mean"));
        using var huge = Pictures.ShowCam(CamBatch.Scaled([Named(new string('A', 2000)), Named("B")], "GRAD-CAM - mean"));
        figure.GetPngBytes();
        huge.GetPngBytes();

        // Then the title is in lines that each fit the picture, broken before a " - ", nothing of it lost
        var lines = figure.Plots[0].Axes.Title.Label.Text.Split('\n');
        using var font = new SkiaSharp.SKFont(EmbeddedFont.Typeface(), figure.Plots[0].Axes.Title.Label.FontSize);
        Assert.InRange(lines.Length, 2, 4);
        Assert.All(lines, line => Assert.True(font.MeasureText(line) < figure.Width, $"'{line}' is wider than the picture"));
        Assert.All(lines.Skip(1), line => Assert.StartsWith("- ", line, StringComparison.Ordinal));
        Assert.Equal("[Abnormal heartbeat (ventricular ectopic) - Normal sinus rhythm - Supraventricular premature beat of the atrium] - GRAD-CAM - mean",
            string.Join(' ', lines));

        // and the 2,000 A's are cut with an ellipsis on the first line, the rest of the title kept
        var hugeLines = huge.Plots[0].Axes.Title.Label.Text.Split('\n');
        Assert.EndsWith("…", hugeLines[0], StringComparison.Ordinal);
        Assert.True(font.MeasureText(hugeLines[0]) < huge.Width);
        Assert.Equal("- B] - GRAD-CAM - mean", hugeLines[^1]);
    }
}
