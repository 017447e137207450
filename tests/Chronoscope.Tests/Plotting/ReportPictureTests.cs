using System.Text.RegularExpressions;
using System.Xml.Linq;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Plotting;
using Chronoscope.Tests.TestSupport;
using ScottPlot;
using Colormap = Chronoscope.Plotting.Colormap;

namespace Chronoscope.Tests.Plotting;

/// <summary>The pictures and SVG handling the run report adds: class maps, coarse colour runs, stacked schedules, inline SVG.</summary>
public sealed partial class ReportPictureTests
{
    [Fact]
    public void Should_Draw_A_Class_Map_As_The_Coloured_Mean_Series_Above_The_Mean_Map_And_Its_Band()
    {
        // Given the summary of a small classifier's maps over GunPoint's test series
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        using var loader = classifier.CreateLoader(DatasetReader.Read(TestData.GunPointTestArff));
        var summary = ClassMapSummary.Compute(new Explainer(classifier), loader);

        // When class 1 is drawn with names
        using var figure = Pictures.PlotClassMap(summary, 0, new ClassMapPlotOptions { ClassNames = ClassNames.Parse("1=Gun,2=Point") });

        // Then there are two panels on one time axis: the series (60% of the height) and the map
        Assert.Equal(2, figure.Plots.Count);
        Assert.Equal((600, 450), (figure.Width, figure.Height));
        Assert.Equal(270, figure.PanelRectangles[0].Bottom, 3);
        Assert.Equal("[Gun] - 76 series - GRAD-CAM - mean", figure.Plots[0].Axes.Title.Label.Text);
        // above: one line of 149 coloured segments, coloured by the mean map, over a grey band of the series' spread
        var line = Assert.Single(figure.Plots[0].GetPlottables().OfType<ColoredLinePlot>());
        figure.GetPngBytes();
        Assert.Equal(149, line.LastRenderSegmentCount);
        Assert.Single(figure.Plots[0].GetPlottables().OfType<ScottPlot.Plottables.FillY>());
        // below: the mean map as a line, inside a band of ± one standard deviation
        var mean = summary.MeanMap(0);
        var spread = summary.MapStandardDeviation(0);
        var curve = Assert.Single(figure.Plots[1].GetPlottables().OfType<ScottPlot.Plottables.Scatter>()).Data.GetScatterPoints();
        Assert.Equal(mean, curve.Select(p => p.Y));
        Assert.Single(figure.Plots[1].GetPlottables().OfType<ScottPlot.Plottables.FillY>());
        Assert.Equal("map ± sd", figure.Plots[1].Axes.Left.Label.Text);
        Assert.True(spread.All(s => s >= 0) && spread.Any(s => s > 0));
        // a class with no series is refused
        var empty = new ClassMapSummary(["a", "b"], 1, 10);
        Assert.Contains("has no series", Assert.Throws<ArgumentException>(() => Pictures.PlotClassMap(empty, 1)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Colour_Runs_Of_Segments_By_Their_Mean_Map_When_Colours_Are_Limited()
    {
        // Given a series of 150 steps (149 segments) drawn with at most 10 colours
        var item = Synthetic.GunItem();
        using var figure = Pictures.ShowCam(CamBatch.Scaled([item], "GRAD-CAM - mean"), new CamPlotOptions { MaxColoredSegments = 10 });
        var svg = figure.GetSvgXml();
        var line = figure.Plots[0].GetPlottables().OfType<ColoredLinePlot>().Single();

        // Then 10 runs of 15 segments are stroked (the last of 14), each in the colour of its mean map value
        Assert.Equal(10, line.LastRenderSegmentCount);
        var runs = RoundStroke().Matches(svg).Select(m => m.Groups[1].Value.ToUpperInvariant()).ToArray();
        Assert.Equal(10, runs.Length);
        var colormap = Colormap.Get("Spectral_r");
        for (var j = 0; j < 10; j++)
        {
            var mean = item.Map.Skip(j * 15).Take(Math.Min(15, 149 - (j * 15))).Average(v => (double)v);
            Assert.Equal(colormap.ColorOf(mean, 0, 1).ToHex()[..7].ToUpperInvariant(), runs[j]);
        }
        // and each run passes through every point of its segments: 16 points, a move and 15 lines
        var first = Regex.Match(svg, "stroke-linecap=\"round\"[^>]*d=\"([^\"]+)\"|d=\"([^\"]+)\"[^>]*stroke-linecap=\"round\"");
        var path = first.Groups[1].Success ? first.Groups[1].Value : first.Groups[2].Value;
        Assert.Equal((1, 15), (path.Count(c => c == 'M'), path.Count(c => c == 'L')));
        Assert.Throws<ArgumentException>(() => Pictures.ShowCam(CamBatch.Scaled([item], "x"), new CamPlotOptions { MaxColoredSegments = 0 }));
    }

    [Fact]
    public void Should_Stack_The_Schedule_Panels_When_Asked()
    {
        var history = new ScheduleHistory([1e-4, 1e-3, 5e-4], [0.95, 0.85, 0.9]);
        using var beside = Pictures.PlotSchedule(history);
        using var stacked = Pictures.PlotSchedule(history, new SchedulePlotOptions { Stacked = true, WidthInches = 5, HeightInches = 6 });

        Assert.Equal((1, 2), (beside.Rows, beside.Columns));
        Assert.Equal((2, 1), (stacked.Rows, stacked.Columns));
        Assert.Equal((0f, 300f, 300f, 600f), (stacked.PanelRectangles[0].Top, stacked.PanelRectangles[0].Bottom, stacked.PanelRectangles[1].Top, stacked.PanelRectangles[1].Bottom));
        Assert.Equal("momentum", stacked.Plots[1].Axes.Title.Label.Text);
    }

    [Fact]
    public void Should_Write_Glyph_Positions_And_Text_That_Browsers_Accept()
    {
        // Given a picture with text (Skia writes x="1.5, 2.25, " with a trailing separator, and indents the text)
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem()], "GRAD-CAM - mean"));

        // When written as an SVG file
        var svg = figure.GetSvgXml();
        var document = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var texts = document.Descendants(ns + "text").ToList();

        // Then every position list is plain numbers, one per glyph, and the text has no surrounding whitespace
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<svg", svg, StringComparison.Ordinal);
        Assert.NotEmpty(texts);
        Assert.All(texts, text =>
        {
            var xs = text.Attribute("x")!.Value.Split(',', StringSplitOptions.TrimEntries);
            Assert.All(xs, x => Assert.True(double.TryParse(x, System.Globalization.CultureInfo.InvariantCulture, out _), $"x list \"{text.Attribute("x")!.Value}\""));
            Assert.Equal(text.Value.Trim(), text.Value);
            Assert.Equal(text.Value.Length, xs.Length);
        });
        // and stretched bitmaps (the colour bar) keep square pixels
        Assert.All(document.Descendants(ns + "image"), image => Assert.Equal("image-rendering:pixelated", image.Attribute("style")!.Value));
    }

    [Fact]
    public void Should_Inline_An_Svg_That_Scales_With_Its_Own_Ids_And_Joined_Strokes()
    {
        // Given a picture whose SVG has clip paths, an image used by reference, and a hundred tick marks
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem()], "GRAD-CAM - mean"));
        var file = XDocument.Parse(figure.GetSvgXml());

        // When it is inlined for a page
        var inline = XElement.Parse(figure.GetInlineSvg("f7-", "a <label>"));

        // Then it scales (viewBox of its pixel size, width 100%, no height) and is labelled for screen readers
        Assert.Equal("0 0 600 400", inline.Attribute("viewBox")!.Value);
        Assert.Equal("100%", inline.Attribute("width")!.Value);
        Assert.Null(inline.Attribute("height"));
        Assert.Equal("a <label>", inline.Attribute("aria-label")!.Value);
        // every id is prefixed, and so is every reference to one
        var ids = inline.DescendantsAndSelf().Select(e => e.Attribute("id")?.Value).OfType<string>().ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.StartsWith("f7-", id, StringComparison.Ordinal));
        var references = inline.DescendantsAndSelf().SelectMany(e => e.Attributes())
            .Where(a => a.Value.Contains("url(#", StringComparison.Ordinal) || (a.Name.LocalName == "href" && a.Value.StartsWith('#'))).Select(a => a.Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Contains(ids, id => r == "#" + id || r.Contains($"url(#{id})", StringComparison.Ordinal)));
        // and the same strokes are drawn with fewer elements: tick marks joined, the series' segments grouped
        XNamespace ns = "http://www.w3.org/2000/svg";
        int Paths(XElement root) => root.Descendants(ns + "path").Count();
        Assert.True(Paths(inline) < Paths(file.Root!) - 50, $"{Paths(inline)} paths inlined, {Paths(file.Root!)} in the file");
        Assert.Equal(TotalLength(file.Root!), TotalLength(inline));
        Assert.Equal(SegmentColours(file.Root!), SegmentColours(inline)); // the series' colours in the same order
        // with coordinates to a tenth of a pixel
        Assert.All(inline.Descendants(ns + "path"), p => Assert.DoesNotMatch(@"\d\.\d\d", p.Attribute("d")!.Value));
        Assert.Contains(inline.Descendants(ns + "g"), g => g.Attribute("stroke-linecap")?.Value == "round" && g.Elements().Count() >= 3);
    }

    /// <summary>The stroke colours of the series' round-capped segments in drawing order, each run of one colour once.</summary>
    private static List<string> SegmentColours(XElement root)
    {
        XNamespace ns = "http://www.w3.org/2000/svg";
        var colours = root.Descendants(ns + "path")
            .Where(p => (p.Attribute("stroke-linecap") ?? p.Parent!.Attribute("stroke-linecap"))?.Value == "round") // its own, or its group's
            .Select(p => p.Attribute("stroke")!.Value);
        var runs = new List<string>();
        foreach (var colour in colours)
        {
            if (runs.Count == 0 || runs[^1] != colour)
                runs.Add(colour);
        }
        return runs;
    }

    /// <summary>The number of drawing commands of all paths: joining paths must not lose any.</summary>
    private static int TotalLength(XElement root)
    {
        XNamespace ns = "http://www.w3.org/2000/svg";
        return root.Descendants(ns + "path").Sum(p => p.Attribute("d")!.Value.Count(char.IsLetter));
    }

    [GeneratedRegex("stroke=\"(#[0-9A-Fa-f]{6})\"[^>]*stroke-linecap=\"round\"")]
    private static partial Regex RoundStroke();
}
