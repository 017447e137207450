using Chronoscope.Data;
using Chronoscope.Plotting;
using ScottPlot;

namespace Chronoscope.Tests.Plotting;

public sealed class SeriesGridPictureTests
{
    [Fact]
    public void Should_Show_At_Most_Nine_Series_In_A_3x3_Grid_Titled_By_Label()
    {
        // Given 12 labelled series
        var series = Enumerable.Range(0, 12).Select(i => new LabelledSeries(Synthetic.Bump(50, 1, 25, phase: i), 1, $"label {i}")).ToArray();

        // When the batch is shown with the defaults
        using var figure = Pictures.ShowBatch(series);

        // Then the first 9 fill a 3 × 3 grid of 14 × 12 inches, in order, one line each
        Assert.Equal((3, 3), (figure.Rows, figure.Columns));
        Assert.Equal((1400, 1200), (figure.Width, figure.Height));
        Assert.Equal(Enumerable.Range(0, 9).Select(i => $"label {i}"), figure.Plots.Select(p => p.Axes.Title.Label.Text));
        Assert.All(figure.Plots, p => Assert.Single(p.GetPlottables()));
        Assert.Equal((1400, 1200), PngHeader.Size(figure.GetPngBytes()));
    }

    [Fact]
    public void Should_Draw_A_Line_Per_Channel_With_A_Legend_And_Honour_A_Channel_Subset()
    {
        // Given a series of 3 channels
        var series = new LabelledSeries(Synthetic.Stack(Synthetic.Bump(40, 1, 20), Synthetic.Bump(40, -1, 10), Synthetic.Bump(40, 2, 30)), 3, "three");

        // When it is shown whole, and with channels 0 and 2 only
        using var all = Pictures.ShowBatch([series]);
        using var some = Pictures.ShowBatch([series], new SeriesGridOptions { Channels = [0, 2] });

        // Then each channel is a line named ch{i} in the legend, and the subset keeps its channel names
        Assert.Equal(["ch0", "ch1", "ch2"], LegendTexts(all.Plots[0]));
        Assert.Equal(["ch0", "ch2"], LegendTexts(some.Plots[0]));
        var lines = some.Plots[0].GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToArray();
        Assert.Equal(Synthetic.Bump(40, 2, 30).Select(v => (double)v), lines[1].Data.GetScatterPoints().Select(p => p.Y)); // channel 2's values
    }

    [Fact]
    public void Should_Refuse_A_Channel_The_Series_Does_Not_Have()
    {
        var series = new LabelledSeries(new float[20], 2, "two");
        var error = Assert.Throws<ArgumentException>(() => Pictures.ShowBatch([series], new SeriesGridOptions { Channels = [0, 2] }));
        Assert.Contains("expected channels in 0..1, found 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Show_Each_Series_Of_A_Dataset_To_Its_True_Length()
    {
        // Given a dataset of two series padded to length 5; the second is 3 long
        var dataset = new TimeSeriesDataset("Ragged", [1, 2, 3, 4, 5, 6, 7, 8, 0, 0], 2, 1, 5, ["a", "b"], lengths: [5, 3]);

        // When it is shown
        using var figure = Pictures.ShowBatch(dataset);

        // Then each panel is titled by its label and draws the series' own values only
        Assert.Equal(["a", "b"], figure.Plots.Select(p => p.Axes.Title.Label.Text));
        var second = figure.Plots[1].GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single().Data.GetScatterPoints();
        Assert.Equal([6.0, 7.0, 8.0], second.Select(p => p.Y));
    }

    [Fact]
    public void Should_Title_Results_Predicted_Over_Target_And_Mark_Wrong_Ones_Red()
    {
        // Given one right and one wrong prediction
        using var figure = Pictures.ShowResults([
            new PredictedSeries(Synthetic.Bump(50, 1, 25), 1, "Gun", "Gun"),
            new PredictedSeries(Synthetic.Bump(50, 1, 25), 1, "Point", "Gun"),
        ]);

        // Then titles read "predicted / target", the wrong one in red
        Assert.Equal(["Gun / Gun", "Point / Gun"], figure.Plots.Select(p => p.Axes.Title.Label.Text));
        Assert.Equal(Colors.Black, figure.Plots[0].Axes.Title.Label.ForeColor);
        Assert.Equal(Color.FromHex("#d62728"), figure.Plots[1].Axes.Title.Label.ForeColor);
        Assert.Contains("fill=\"#D62728\"", figure.GetSvgXml(), StringComparison.OrdinalIgnoreCase);
    }

    private static string[] LegendTexts(Plot plot) => [.. plot.GetPlottables().SelectMany(p => p.LegendItems).Select(i => i.LabelText)];
}
