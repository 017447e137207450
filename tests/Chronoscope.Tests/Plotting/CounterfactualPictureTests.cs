using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Plotting;

namespace Chronoscope.Tests.Plotting;

public sealed class CounterfactualPictureTests
{
    private static CounterfactualResults Results(int channels, CounterfactualOutcome outcome) => new()
    {
        Classes = ["a", "b"], Channels = channels, Length = 20, Distance = SeriesDistance.Euclidean, Band = 2, Threshold = 0.5,
        MapTitle = "GRAD-CAM - mean",
        Items =
        [
            new Counterfactual
            {
                Item = 1, Outcome = outcome, Predicted = 0, Target = 1, ProbabilitiesBefore = [0.9f, 0.1f],
                ProbabilitiesAfter = outcome == CounterfactualOutcome.NoNeighbour ? null : [0.1f, 0.9f],
                Neighbour = outcome == CounterfactualOutcome.NoNeighbour ? -1 : 4, NeighbourDistance = 2,
                Values = outcome == CounterfactualOutcome.Found
                    ? [.. Enumerable.Range(0, channels * 20).Select(i => i % 20 is >= 5 and <= 9 ? 1f : 0f)]
                    : null,
                WindowStart = outcome == CounterfactualOutcome.Found ? 5 : 0, WindowLength = outcome == CounterfactualOutcome.Found ? 5 : 0,
                ChangedShare = outcome == CounterfactualOutcome.Found ? 0.25 : 0,
                L1 = 5, L2 = Math.Sqrt(5), Dtw = 1, DistanceToNeighbour = 1,
            },
        ],
    };

    private static TimeSeriesDataset Zeros(int channels) => new("Zeros", new float[2 * channels * 20], 2, channels, 20, ["a", "a"]);

    [Fact]
    public void Should_Draw_The_Query_The_Changed_Window_And_Both_Probabilities()
    {
        using var figure = Pictures.ShowCounterfactual(Results(1, CounterfactualOutcome.Found), 0, Zeros(1), new CounterfactualPlotOptions { ClassNames = ClassNames.Parse("a=Gun,b=Point") });
        var svg = figure.GetSvgXml();
        Assert.Equal((800, 450), (figure.Width, figure.Height));
        Assert.Contains(">[Gun → Point] p(Point) 10.0% → 90.0%</text>", svg, StringComparison.Ordinal);
        Assert.Contains(">window 5–9 (25% of the series) · GRAD-CAM - mean</text>", svg, StringComparison.Ordinal);
        Assert.Contains(">query (Gun)</text>", svg, StringComparison.Ordinal);
        Assert.Contains(">counterfactual (Point)</text>", svg, StringComparison.Ordinal);
        // The shaded window sits between x = 4.5 and 9.5 and the red line rises inside it: the pixel at (7, 1) is red
        var plot = figure.Plots[0];
        using var bitmap = PngHeader.Decode(figure.GetPngBytes());
        var pixel = plot.GetPixel(new ScottPlot.Coordinates(7, 1));
        var color = bitmap.GetPixel((int)Math.Round(pixel.X), (int)Math.Round(pixel.Y));
        Assert.True(color.Red > 180 && color.Green < 90 && color.Blue < 90, $"expected the counterfactual's red at (7, 1), found {color}");
        var outside = plot.GetPixel(new ScottPlot.Coordinates(15.3, 0.45));
        var white = bitmap.GetPixel((int)Math.Round(outside.X), (int)Math.Round(outside.Y));
        Assert.True(white.Red > 240 && white.Green > 240 && white.Blue > 240, $"expected white outside the window, found {white}");
        var shaded = plot.GetPixel(new ScottPlot.Coordinates(6.3, 0.45));
        var shade = bitmap.GetPixel((int)Math.Round(shaded.X), (int)Math.Round(shaded.Y));
        Assert.True(shade.Red > 240 && shade.Blue < 235 && shade.Green < shade.Red, $"expected the orange shade inside the window, found {shade}");
    }

    [Theory]
    [InlineData(CounterfactualOutcome.NotFlipped, "no counterfactual: the threshold is 50.0%")]
    [InlineData(CounterfactualOutcome.NoNeighbour, "no counterfactual: no training series of b is classified as b")]
    public void Should_Say_When_There_Is_No_Counterfactual(CounterfactualOutcome outcome, string expected)
    {
        using var figure = Pictures.ShowCounterfactual(Results(1, outcome), 0, Zeros(1));
        var svg = figure.GetSvgXml();
        Assert.Contains($">{expected}</text>", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("#D62728", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Draw_A_Panel_Per_Channel_And_Refuse_Data_Of_Another_Shape()
    {
        using var figure = Pictures.ShowCounterfactual(Results(2, CounterfactualOutcome.Found), 0, Zeros(2));
        Assert.Equal(2, figure.Plots.Count);
        Assert.Equal(700, figure.Height);
        Assert.Throws<ArgumentException>(() => Pictures.ShowCounterfactual(Results(2, CounterfactualOutcome.Found), 0, Zeros(1)));
    }
}
