using Chronoscope.Plotting;
using ScottPlot;
using Colormap = Chronoscope.Plotting.Colormap;

namespace Chronoscope.Tests.Plotting;

public sealed partial class CamPictureTests
{
    /// <summary>A series of <paramref name="channels"/> channels over 100 steps whose channel × time map is 0 except 1 at steps 40..59 of <paramref name="hot"/>.</summary>
    private static CamItem HotChannelItem(int channels, int hot)
    {
        const int length = 100;
        var series = Enumerable.Range(0, channels * length).Select(i => (float)Math.Sin(i / 7.0)).ToArray();
        var map = new float[channels * length];
        for (var t = 40; t < 60; t++)
            map[(hot * length) + t] = 1f;
        return new CamItem(series, channels, map, "Walking");
    }

    [Fact]
    public void Should_Colour_Only_The_Middle_Of_The_Hot_Channels_Strip_Warm()
    {
        // Given 24 channels whose map is high only in the middle of channel 5 (auto: strips above 8 channels)
        using var figure = Pictures.ShowCam(CamBatch.Scaled([HotChannelItem(24, 5)], "Integrated Gradients"));
        using var bitmap = PngHeader.Decode(figure.GetPngBytes());
        var plot = Assert.Single(figure.Plots);
        SkiaSharp.SKColor At(double t, int channel)
        {
            var pixel = plot.GetPixel(new Coordinates(t, 24 - 1 - channel));
            return bitmap.GetPixel((int)pixel.X, (int)pixel.Y);
        }

        // Then the middle of channel 5's strip has the colormap's top colour, and its ends, the other strips'
        // middles and channel 5's neighbours have the bottom colour
        var colors = Colormap.Get("Spectral_r").Colors;
        var (top, bottom) = (colors[^1].ToHex()[..7], colors[0].ToHex()[..7]);
        Assert.Equal(top, Hex(At(50, 5)));
        Assert.Equal(top, Hex(At(41, 5)));
        Assert.Equal(bottom, Hex(At(10, 5)));
        Assert.Equal(bottom, Hex(At(90, 5)));
        foreach (var channel in (int[])[0, 4, 6, 12, 23])
            Assert.Equal(bottom, Hex(At(50, channel)));
    }

    [Fact]
    public void Should_Label_The_Strips_With_The_Channel_Names_And_The_Colour_Bar_With_The_Method()
    {
        // Given 12 named channels drawn as strips, and the same without names
        var names = Enumerable.Range(0, 12).Select(c => $"sensor {c + 1}").ToArray();
        var batch = CamBatch.Scaled([HotChannelItem(12, 3)], "Saliency");
        using var named = Pictures.ShowCam(batch with { ChannelNames = names });
        using var unnamed = Pictures.ShowCam(batch);
        var svg = named.GetSvgXml(); // ticks are laid out when the figure renders
        unnamed.GetPngBytes();

        // Then the left ticks name every channel, channel 0 on top, and the colour bar carries the method
        var ticks = named.Plots[0].Axes.Left.TickGenerator.Ticks.OrderByDescending(t => t.Position).Select(t => t.Label).ToArray();
        Assert.Equal(names, ticks);
        Assert.Equal(["ch0", "ch1", "ch2"], unnamed.Plots[0].Axes.Left.TickGenerator.Ticks.OrderByDescending(t => t.Position).Select(t => t.Label).Take(3));
        Assert.Equal("Saliency", named.Plots[0].Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>().Single().Label);
        Assert.Contains("sensor 12", svg, StringComparison.Ordinal);
        Assert.Equal("[Walking] - Saliency", named.Plots[0].Axes.Title.Label.Text);
    }

    [Theory]
    [InlineData(8, CamView.Auto, 8)]    // up to MaxLineChannels: a line panel per channel
    [InlineData(9, CamView.Auto, 1)]    // above: one strip panel per item
    [InlineData(24, CamView.Lines, 24)] // asked for: lines however many
    [InlineData(6, CamView.Strips, 1)]
    [InlineData(1, CamView.Strips, 1)]
    public void Should_Choose_Lines_Or_Strips_By_The_View_And_The_Channel_Count(int channels, CamView view, int panels)
    {
        // Given one item of the given channels
        using var figure = Pictures.ShowCam(CamBatch.Scaled([HotChannelItem(channels, 0)], "Saliency"), new CamPlotOptions { View = view });

        // Then lines give a panel per channel and strips one heat map per item
        Assert.Equal(panels, figure.Plots.Count);
        var strips = figure.Plots.SelectMany(p => p.GetPlottables()).OfType<ScottPlot.Plottables.Heatmap>().Count();
        Assert.Equal(panels == channels && view != CamView.Strips ? 0 : 1, strips);
    }

    [Fact]
    public void Should_Stack_A_Strip_Panel_Per_Item_And_Name_The_Line_Panels()
    {
        // Given two items of 10 channels as strips, and one of 3 named channels as lines
        using var strips = Pictures.ShowCam(CamBatch.Scaled([HotChannelItem(10, 1), HotChannelItem(10, 2)], "Saliency"));
        using var lines = Pictures.ShowCam(CamBatch.Scaled([HotChannelItem(3, 1)], "Saliency") with { ChannelNames = ["x", "y", "z"] });

        // Then the strips stack one panel per item, at least 20 pixels per strip, and the line panels carry the names
        Assert.Equal(2, strips.Plots.Count);
        Assert.True(strips.Height >= 2 * 10 * 20, $"expected at least 20 pixels per strip, found a figure {strips.Height} high");
        Assert.Equal(["x", "y", "z"], lines.Plots.Select(p => p.Axes.Left.Label.Text));
    }

    [Fact]
    public void Should_Refuse_Channel_Names_That_Are_Not_One_Per_Channel()
    {
        var batch = CamBatch.Scaled([HotChannelItem(3, 0)], "Saliency") with { ChannelNames = ["x", "y"] };

        var error = Assert.Throws<ArgumentException>(() => Pictures.ShowCam(batch));

        Assert.Contains("Expected 3 channel names, one per channel, found 2.", error.Message, StringComparison.Ordinal);
    }
}
