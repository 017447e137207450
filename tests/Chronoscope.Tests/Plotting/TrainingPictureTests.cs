using Chronoscope.Data;
using Chronoscope.Models;
using Chronoscope.Plotting;
using Chronoscope.Training;
using ScottPlot;
using Colormap = Chronoscope.Plotting.Colormap;

namespace Chronoscope.Tests.Plotting;

public sealed class TrainingPictureTests
{
    [Fact]
    public void Should_Draw_Train_Loss_Per_Iteration_And_Valid_Loss_At_Each_Epoch_End()
    {
        // Given 3 epochs of 4 batches
        var history = new LossHistory([1.0, 0.9, 0.8, 0.7, 0.6, 0.55, 0.5, 0.45, 0.42, 0.4, 0.38, 0.37], [0.8, 0.6, 0.5], [4, 8, 12]);

        // When the losses are drawn
        using var figure = Pictures.PlotLoss(history);
        var plot = figure.Plots[0];
        var lines = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToArray();

        // Then the training loss runs over iterations 1..12 and the validation loss sits at iterations 4, 8, 12
        Assert.Equal("iteration", plot.Axes.Bottom.Label.Text);
        Assert.Equal(["train", "valid"], lines.Select(l => l.LegendText));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (double)i), lines[0].Data.GetScatterPoints().Select(p => p.X));
        Assert.Equal([(4.0, 0.8), (8.0, 0.6), (12.0, 0.5)], lines[1].Data.GetScatterPoints().Select(p => (p.X, p.Y)));
    }

    [Fact]
    public void Should_Draw_Losses_Per_Epoch_When_No_Iterations_Are_Given()
    {
        using var figure = Pictures.PlotLoss(new LossHistory([1.3, 1.2, 1.1], [0.69, 0.69, 0.70]));
        var plot = figure.Plots[0];
        Assert.Equal("epoch", plot.Axes.Bottom.Label.Text);
        Assert.All(plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>(),
            line => Assert.Equal([1.0, 2.0, 3.0], line.Data.GetScatterPoints().Select(p => p.X)));
    }

    [Fact]
    public void Should_Refuse_Epoch_Ends_That_Do_Not_Match_The_Validation_Losses()
    {
        var error = Assert.Throws<ArgumentException>(() => Pictures.PlotLoss(new LossHistory([1, 2, 3], [1, 2], [3])));
        Assert.Contains("expected one epoch-end iteration per validation loss (2), found 1", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Should_Draw_The_Learning_Rate_Finder_On_A_Log_Axis_With_The_Suggestions_Marked()
    {
        // Given 100 rates from 1e-7 to 10, a loss linear in log10(rate), and suggestions 1e-3 (valley), 1e-4, 1e-5
        var rates = Enumerable.Range(0, 100).Select(i => 1e-7 * Math.Pow(10, i * 8.0 / 99)).ToArray();
        var losses = rates.Select(lr => 1 - (0.1 * Math.Log10(lr))).ToArray();
        using var figure = Pictures.PlotLearningRateFinder(new LearningRateFinderResult(rates, losses, 1e-3, 1e-4, 1e-5));
        var plot = figure.Plots[0];
        figure.GetPngBytes(); // render, so ticks exist

        // Then the curve is drawn over log10(rate) without the first and last 5 points, as fastai's plot
        var curve = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single().Data.GetScatterPoints();
        Assert.Equal(90, curve.Count);
        Assert.Equal(Math.Log10(rates[5]), curve[0].X, 12);
        // each suggestion is a point on the curve (loss 1.3 at 1e-3), labelled with its name and value, the valley in red
        var markers = plot.GetPlottables().OfType<ScottPlot.Plottables.Marker>().ToArray();
        Assert.Equal([(-3.0, 1.3), (-4.0, 1.4), (-5.0, 1.5)], markers.Select(m => (Math.Round(m.X, 9), Math.Round(m.Y, 9))));
        Assert.Equal(["valley 1.0e-03", "minimum/10 1.0e-04", "steepest 1.0e-05"], markers.Select(m => m.LegendText));
        Assert.Equal(Color.FromHex("#d62728"), markers[0].Color);
        // with a line at the valley only
        Assert.Equal(-3.0, plot.GetPlottables().OfType<ScottPlot.Plottables.VerticalLine>().Single().X, 9);
        // and the axis is labelled in powers of ten
        Assert.Contains("10⁻³", plot.Axes.Bottom.TickGenerator.Ticks.Select(t => t.Label));
    }

    [Fact]
    public void Should_Mark_Only_The_Valley_When_Asked()
    {
        var rates = Enumerable.Range(0, 20).Select(i => Math.Pow(10, i - 10.0)).ToArray();
        var losses = rates.Select((_, i) => 2.0 - (0.05 * i)).ToArray();
        using var figure = Pictures.PlotLearningRateFinder(new LearningRateFinderResult(rates, losses, 1e-3, 1e-4, 1e-5),
            new LearningRateFinderPlotOptions { MarkAllSuggestions = false });

        Assert.Equal("valley 1.0e-03", figure.Plots[0].GetPlottables().OfType<ScottPlot.Plottables.Marker>().Single().LegendText);
    }

    [Fact]
    public void Should_Draw_The_Schedule_As_Learning_Rate_And_Momentum_Side_By_Side()
    {
        // Given a schedule of 10 iterations
        var lr = Enumerable.Range(0, 10).Select(i => i * 1e-4).ToArray();
        var momentum = Enumerable.Range(0, 10).Select(i => 0.95 - (i * 0.01)).ToArray();

        // When drawn with and without momentum
        using var both = Pictures.PlotSchedule(new ScheduleHistory(lr, momentum));
        using var rateOnly = Pictures.PlotSchedule(new ScheduleHistory(lr, null));

        // Then the two curves are two panels on one row, left to right, 10 × 4 inches
        Assert.Equal((1, 2, 1000, 400), (both.Rows, both.Columns, both.Width, both.Height));
        Assert.Equal(["learning rate", "momentum"], both.Plots.Select(p => p.Axes.Title.Label.Text));
        Assert.Equal(both.PanelRectangles[0].Right, both.PanelRectangles[1].Left, 3);
        Assert.Equal(momentum, both.Plots[1].GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single().Data.GetScatterPoints().Select(p => p.Y));
        Assert.Single(rateOnly.Plots);
    }

    [Fact]
    public void Should_Colour_Confusion_Matrix_Cells_By_Count_And_Label_Them()
    {
        // Given a 3-class confusion matrix, actual down, predicted across
        int[,] counts = { { 30, 2, 0 }, { 4, 25, 1 }, { 0, 3, 35 } };
        using var figure = Pictures.PlotConfusionMatrix(new ConfusionCounts(counts, ["Normal", "MI", "Other"]));
        var plot = figure.Plots[0];
        using var bitmap = PngHeader.Decode(figure.GetPngBytes());

        // When cells are read a little off their centre (the count is written at the centre)
        SkiaSharp.SKColor Cell(int actual, int predicted)
        {
            var pixel = plot.GetPixel(new Coordinates(predicted + 0.3, 2 - actual + 0.3));
            return bitmap.GetPixel((int)pixel.X, (int)pixel.Y);
        }

        // Then the largest count has the Blues colour at the top of the scale, a zero the bottom colour,
        // the first actual class is the top row, and every count is written
        var blues = Colormap.Get("Blues").Colors;
        Assert.Equal(blues[^1].ToSKColor(), Cell(2, 2));
        Assert.Equal(blues[0].ToSKColor(), Cell(0, 2));
        Assert.Equal(Colormap.Get("Blues").ColorOf(30, 0, 35).ToSKColor(), Cell(0, 0));
        var texts = plot.GetPlottables().OfType<ScottPlot.Plottables.Text>().Select(t => t.LabelText).ToArray();
        Assert.Equal(["30", "2", "0", "4", "25", "1", "0", "3", "35"], texts);
        Assert.Equal(("Predicted", "Actual"), (plot.Axes.Bottom.Label.Text, plot.Axes.Left.Label.Text));
    }

    [Fact]
    public void Should_Cut_Long_Class_Names_And_Turn_Them_Upright_Where_They_Would_Overlap()
    {
        // Given classes named as ECG findings are (before, the names overlapped and squeezed the matrix to a sliver)
        string[] names = ["Abnormal heartbeat (ventricular ectopic)", "Normal sinus rhythm", "Supraventricular premature beat"];
        using var figure = Pictures.PlotConfusionMatrix(new ConfusionCounts(new int[3, 3], names));
        figure.GetPngBytes();
        var plot = figure.Plots[0];

        // Then each tick keeps at most 24 characters, an ellipsis marking a cut, the predicted ones turned upright,
        // and the matrix keeps more than a third of the picture's width
        string[] expected = ["Abnormal heartbeat (ven…", "Normal sinus rhythm", "Supraventricular premat…"];
        Assert.Equal(expected, plot.Axes.Bottom.TickGenerator.Ticks.Select(t => t.Label));
        Assert.Equal(expected, plot.Axes.Left.TickGenerator.Ticks.Select(t => t.Label));
        Assert.Equal(-90, plot.Axes.Bottom.TickLabelStyle.Rotation);
        Assert.True(plot.LastRender.DataRect.Width > figure.Width / 3.0, $"the matrix is {plot.LastRender.DataRect.Width} px wide");

        // while short names stay level
        using var level = Pictures.PlotConfusionMatrix(new ConfusionCounts(new int[2, 2], ["Gun", "Point"]));
        Assert.Equal(0, level.Plots[0].Axes.Bottom.TickLabelStyle.Rotation);
    }

    [Fact]
    public void Should_Leave_Counts_Out_And_Thin_The_Ticks_Where_Sixty_Classes_Would_Overlap()
    {
        // Given 60 classes (ShapesAll's count; before, 3,600 counts and 60 names a side drew a black square)
        var counts = new int[60, 60];
        for (var i = 0; i < 60; i++)
            counts[i, (i * 7) % 60] = 3;
        using var figure = Pictures.PlotConfusionMatrix(new ConfusionCounts(counts, [.. Enumerable.Range(0, 60).Select(i => $"shape{i}")]));
        figure.GetPngBytes();
        var plot = figure.Plots[0];

        // Then no count is written, and the tick labels left are at least a label's height apart, the first class kept
        Assert.Empty(plot.GetPlottables().OfType<ScottPlot.Plottables.Text>());
        var rows = plot.Axes.Left.TickGenerator.Ticks.Select(t => plot.GetPixel(new Coordinates(0, t.Position)).Y).Order().ToArray();
        Assert.InRange(rows.Length, 10, 59);
        Assert.All(rows.Zip(rows.Skip(1)), pair => Assert.True(pair.Second - pair.First >= plot.Axes.Left.TickLabelStyle.FontSize,
            $"tick labels {pair.Second - pair.First:F1} px apart"));
        Assert.Equal("shape0", plot.Axes.Bottom.TickGenerator.Ticks[0].Label);
        Assert.InRange(plot.Axes.Bottom.TickGenerator.Ticks.Length, 10, 59);
    }

    [Fact]
    public void Should_Refuse_A_Matrix_That_Does_Not_Match_The_Classes()
    {
        var error = Assert.Throws<ArgumentException>(() => Pictures.PlotConfusionMatrix(new ConfusionCounts(new int[2, 3], ["a", "b"])));
        Assert.Contains("expected a 2 × 2 matrix for 2 classes, found 2 × 3", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Should_Take_Losses_Schedule_And_Confusion_From_A_Learner()
    {
        // Given a tiny network trained 3 epochs of 2 batches of 16 on noisy sines
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(32, 1, 24, 2, seed: 1), SyntheticData.Create(10, 1, 24, 2, seed: 2),
            new DataLoadersOptions { BatchSize = 16 });
        using var learner = Learner.Create(data, new LearnerOptions { Model = new InceptionTimeOptions { Depth = 1, Filters = 4 } });
        var fit = learner.FitOneCycle(3, 1e-3);

        // When its recorder and last confusion matrix become the pictures' records
        var loss = LossHistory.From(learner.Recorder);
        var schedule = ScheduleHistory.From(learner.Recorder);
        var confusion = ConfusionCounts.From(fit.Last!.Confusion);

        // Then the training loss is the smoothed loss of each of the 6 batches (the epoch table's train_loss at each
        // epoch end), and each validation loss sits at the iteration that ended its epoch
        Assert.Equal(6, loss.TrainLoss.Length);
        Assert.Equal(fit.Epochs.Select(e => e.TrainLoss), [loss.TrainLoss[1], loss.TrainLoss[3], loss.TrainLoss[5]]);
        Assert.Equal(fit.Epochs.Select(e => e.ValidLoss), loss.ValidLoss);
        Assert.Equal([2, 4, 6], loss.EpochEndIterations!);
        using var lossFigure = Pictures.PlotLoss(loss);
        var valid = lossFigure.Plots[0].GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single(l => l.LegendText == "valid");
        Assert.Equal([2.0, 4.0, 6.0], valid.Data.GetScatterPoints().Select(p => p.X));
        // the schedule is one-cycle's, evaluated before each batch
        var oneCycle = Schedule.OneCycleLearningRate(1e-3);
        Assert.All(Enumerable.Range(0, 6), i => Assert.Equal(oneCycle.At(i / 6.0), schedule.LearningRates[i], 1e-15));
        Assert.Equal(0.95, schedule.Momentums![0], 1e-12);
        // and the counts are the last epoch's, 10 validation series in all
        Assert.Equal(data.Classes, confusion.ClassNames);
        Assert.Equal(10, confusion.Counts.Cast<int>().Sum());
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(fit.Last.Confusion[i / 2, i % 2], confusion.Counts[i / 2, i % 2]));
    }
}
