using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Plotting;
using Chronoscope.Tests.TestSupport;
using ScottPlot;

namespace Chronoscope.Tests.Plotting;

/// <summary>
/// Pictures drawn from what the library computes: class activation maps from an <see cref="Explainer"/>, predictions
/// from a classifier, batches from a loader. A small untrained GunPoint model whose inputs are z-scored, so the values
/// the model sees differ from the values as read.
/// </summary>
public sealed class ExplainPicturesTests
{
    private static readonly TimeSeriesDataset Test = DatasetReader.Read(TestData.GunPointTestArff);

    /// <summary>Items 0 and 1 of GunPoint's TEST file: a Gun (label 1) and a Point (label 2).</summary>
    private static readonly int[] GunAndPoint = [0, 1];

    private static ActivationMaps Explain(TimeSeriesDataset data, IReadOnlyList<int> items, ExplainOptions options)
    {
        using var classifier = SmallModels.GunPoint();
        return new Explainer(classifier).Explain(data, items, options);
    }

    [Theory]
    [InlineData("gradcam", "max", "[1 - 2] - GRAD-CAM - max")]
    [InlineData("cam", "median", "[1 - 2] - CAM - median")]
    [InlineData("hirescam", "mean", "[1 - 2] - HiResCAM")]
    [InlineData("gradcam++", "mean_max", "[1 - 2] - Grad-CAM++")]
    public void Should_Title_The_Picture_With_The_Classes_And_The_Maps_Title(string method, string reduction, string title)
    {
        // Given maps of a Gun and a Point by a method, with a reduction that only some methods use
        using var leaks = new TensorLeakCheck();
        var chosen = new Dictionary<string, MapMethod> { ["gradcam"] = MapMethod.GradCam, ["cam"] = MapMethod.Cam, ["hirescam"] = MapMethod.HiResCam, ["gradcam++"] = MapMethod.GradCamPlusPlus }[method];
        var maps = Explain(Test, GunAndPoint, new ExplainOptions { Method = chosen, Reduction = ReductionNames.Parse(reduction) });

        // When they are drawn
        using var figure = Pictures.ShowCam(maps);

        // Then the title is the classes then ActivationMaps.Title (no reduction for methods without one), and the colour bar says the same
        Assert.Equal(title, figure.Plots[0].Axes.Title.Label.Text);
        Assert.EndsWith("] - " + maps.Title, title, StringComparison.Ordinal);
        Assert.Equal(maps.Title, figure.Plots[0].Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>().Single().Label);
    }

    [Fact]
    public void Should_Colour_Scaled_Maps_Over_The_Scale_Range_And_Raw_Maps_Over_All_Their_Values()
    {
        // Given maps scaled to (-1, 2), and the same maps raw
        using var leaks = new TensorLeakCheck();
        var scaled = CamBatch.FromMaps(Explain(Test, [0, 1, 2], new ExplainOptions { ScaleRange = (-1, 2) }));
        var rawMaps = Explain(Test, [0, 1, 2], new ExplainOptions { ForceScale = false });
        var raw = CamBatch.FromMaps(rawMaps);

        // Then the scaled colour range is the scale range, and the raw one the smallest and largest value of all three maps
        Assert.Equal((-1.0, 2.0), (scaled.Low, scaled.High));
        var values = rawMaps.Values.ToArray();
        Assert.Equal((values.Min(), values.Max()), ((float)raw.Low, (float)raw.High));
        Assert.True(raw.Low < 0 && raw.High > 0, "Grad-CAM's raw maps are signed");
        // and it is what CamBatch.Raw computes from the drawn items (a second path: every series has its full length here)
        var again = CamBatch.Raw(raw.Items, raw.Method);
        Assert.Equal((again.Low, again.High), (raw.Low, raw.High));
    }

    [Fact]
    public void Should_Draw_The_Series_As_Read_With_One_Map_Value_Per_Step()
    {
        // Given maps of items 3 and 7 from a model that z-scores its inputs
        using var leaks = new TensorLeakCheck();
        var maps = Explain(Test, [3, 7], new ExplainOptions());

        // When the picture's items are made
        var batch = CamBatch.FromMaps(maps);

        // Then each item is its series exactly as the file holds it (not the model's z-scored input) with its own map
        for (var k = 0; k < 2; k++)
        {
            Assert.Equal(Test.Series(maps.Items[k]).ToArray(), batch.Items[k].Series);
            Assert.Equal(maps.Map(k).ToArray(), batch.Items[k].Map);
            Assert.Equal(1, batch.Items[k].Channels);
        }
        // and the drawn y range is the raw data's (GunPoint's x coordinates reach about 2; z-scored they would pass 2.5)
        using var figure = Pictures.ShowCam(batch);
        var limits = figure.Plots[0].Axes.GetLimits();
        var all = batch.Items.SelectMany(i => i.Series).ToArray();
        var pad = 0.1 * (all.Max() - all.Min());
        Assert.Equal(all.Min() - pad, limits.Bottom, 4);
        Assert.Equal(all.Max() + pad, limits.Top, 4);
    }

    [Fact]
    public void Should_Name_Each_Item_By_The_Class_Its_Map_Explains()
    {
        using var leaks = new TensorLeakCheck();
        var byLabel = Explain(Test, GunAndPoint, new ExplainOptions());
        var forPoint = Explain(Test, GunAndPoint, new ExplainOptions { Target = MapTarget.Class(1) });

        // By index (the reference's lbl_dict {0: 'Gun', 1: 'Point'}), by label for one class only, and with no names
        var indexNames = CamBatch.FromMaps(byLabel, ClassNames.ByIndex(new Dictionary<int, string> { [0] = "Gun", [1] = "Point" }));
        var labelNames = CamBatch.FromMaps(byLabel, ClassNames.Parse("2=Point"));
        var noNames = CamBatch.FromMaps(byLabel);
        var explainingPoint = CamBatch.FromMaps(forPoint, ClassNames.ByIndex(["Gun", "Point"]));

        Assert.Equal(["Gun", "Point"], indexNames.Items.Select(i => i.ClassName));
        Assert.Equal(["1", "Point"], labelNames.Items.Select(i => i.ClassName));
        Assert.Equal(["1", "2"], noNames.Items.Select(i => i.ClassName));
        // a map made for class 2 is titled by it, whatever the item's own label
        Assert.Equal(["Point", "Point"], explainingPoint.Items.Select(i => i.ClassName));

        // and a name for a class the model does not have is refused with the classes it has
        var error = Assert.Throws<ArgumentException>(() => CamBatch.FromMaps(byLabel, ClassNames.Parse("1=Gun,3=Rifle")));
        Assert.Contains("no class labelled \"3\"; the classes are 1, 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Show_The_Probability_Of_The_Explained_Class_Only_When_Asked()
    {
        using var leaks = new TensorLeakCheck();
        var maps = Explain(Test, GunAndPoint, new ExplainOptions { Target = MapTarget.Class(1) });

        using var without = Pictures.ShowCam(maps);
        using var with = Pictures.ShowCam(maps, new CamPlotOptions { ShowConfidence = true, ClassNames = ClassNames.Parse("Gun,Point") });

        // Then the confidence is the model's probability for class 2 (explained), as a percentage on the second line
        var percents = Enumerable.Range(0, 2).Select(k => (maps.Probability(k, 1) * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%");
        Assert.Equal("[2 - 2] - GRAD-CAM - mean", without.Plots[0].Axes.Title.Label.Text);
        Assert.Equal($"[Point - Point] - GRAD-CAM - mean\nconfidence {string.Join(" - ", percents)}", with.Plots[0].Axes.Title.Label.Text);
        Assert.Equal(maps.Confidence(1), CamBatch.FromMaps(maps, showConfidence: true).Items[1].Confidence!.Value, 6);
    }

    [Fact]
    public void Should_Cut_Each_Series_And_Its_Map_To_The_Series_True_Length()
    {
        // Given a dataset whose second series is 90 of 150 steps (padded with zeros after its end)
        using var leaks = new TensorLeakCheck();
        var values = new float[2 * 150];
        for (var t = 0; t < 150; t++)
            values[t] = (float)Math.Sin(t / 10.0);
        for (var t = 0; t < 90; t++)
            values[150 + t] = (float)Math.Cos(t / 10.0);
        var data = new TimeSeriesDataset("Variable", values, 2, 1, 150, ["1", "2"], lengths: [150, 90]);
        var maps = Explain(data, [0, 1], new ExplainOptions());

        var batch = CamBatch.FromMaps(maps);

        // Then the short series and its map stop at step 90, the padding is not drawn
        Assert.Equal([150, 90], batch.Items.Select(i => i.Series.Length));
        Assert.Equal([150, 90], batch.Items.Select(i => i.Map.Length));
        Assert.Equal(maps.Map(1)[..90].ToArray(), batch.Items[1].Map);
        Assert.Equal(values.AsSpan(150, 90).ToArray(), batch.Items[1].Series);
    }

    [Fact]
    public void Should_Title_Predictions_Predicted_Over_Target_In_Red_When_Wrong()
    {
        // Given the untrained model's predictions for the TEST file, named
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var predictions = classifier.Predict(Test);

        using var figure = Pictures.ShowResults(predictions, Test, null, new SeriesGridOptions { ClassNames = ClassNames.Parse("1=Gun,2=Point") });

        // Then the first nine series are titled "predicted / target" with the names, red exactly where they differ
        string Name(int k) => k == 0 ? "Gun" : "Point";
        Assert.Equal(9, figure.Plots.Count);
        for (var i = 0; i < 9; i++)
        {
            var title = figure.Plots[i].Axes.Title.Label;
            Assert.Equal($"{Name(predictions.Predicted[i])} / {Name(predictions.Targets![i])}", title.Text);
            Assert.Equal(predictions.Predicted[i] == predictions.Targets[i] ? Colors.Black : Color.FromHex("#d62728"), title.ForeColor);
        }
        Assert.Contains(figure.Plots, p => p.Axes.Title.Label.ForeColor == Colors.Black);
        Assert.Contains(figure.Plots, p => p.Axes.Title.Label.ForeColor != Colors.Black);
    }

    [Fact]
    public void Should_Title_Predictions_Of_Unlabelled_Data_By_The_Prediction_Alone()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var unlabelled = new TimeSeriesDataset("GunPoint", Test.Values.ToArray(), Test.Count, 1, 150, null);
        var predictions = classifier.Predict(unlabelled);

        using var figure = Pictures.ShowResults(predictions, unlabelled, [4, 2]);

        Assert.Equal([predictions.PredictedClass(4), predictions.PredictedClass(2)], figure.Plots.Select(p => p.Axes.Title.Label.Text));
        Assert.All(figure.Plots, p => Assert.Equal(Colors.Black, p.Axes.Title.Label.ForeColor));
    }

    [Fact]
    public void Should_Show_A_Loaders_First_Batch_As_Read()
    {
        // Given the shuffled training loader of the pooled GunPoint files
        using var leaks = new TensorLeakCheck();
        using var loaders = DataLoaders.FromFiles([TestData.GunPointTrainArff, TestData.GunPointTestArff]);
        var first = loaders.Train.BatchIndices(0)[0];

        using var figure = Pictures.ShowBatch(loaders.Train, new SeriesGridOptions { ClassNames = ClassNames.ByIndex(["Gun", "Point"]) });

        // Then the grid shows the first nine series of the first batch, named, drawn as read
        var dataset = loaders.Train.Dataset;
        Assert.Equal(first.Take(9).Select(i => dataset.Labels![i] == "1" ? "Gun" : "Point"), figure.Plots.Select(p => p.Axes.Title.Label.Text));
        Assert.NotEqual(Enumerable.Range(0, 9), first.Take(9));
        var line = figure.Plots[0].GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Single();
        Assert.Equal(dataset.Series(first[0]).ToArray().Select(v => (double)v), line.Data.GetScatterPoints().Select(p => p.Y));
    }
}
