using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Inference.Interop;
using Chronoscope.Models;
using Chronoscope.Reports;
using Chronoscope.Tests.TestSupport;
using TorchSharp;

namespace Chronoscope.Tests.Data;

/// <summary>
/// <see cref="Normalization.MeanSeries"/>: the training set's mean series subtracted, the departures divided by their
/// deviation; and the automatic choice of it for series that are near copies of one curve.
/// </summary>
public sealed class MeanSeriesTests
{
    [Fact]
    public void Should_Subtract_The_Training_Mean_Series_And_Divide_By_The_Deviation_Around_It()
    {
        // Given training series 0 2 4 and 2 2 8 (mean series 1 2 6; departures -1 0 -2 and 1 0 2, deviation √(10/6))
        using var leaks = new TensorLeakCheck();
        var train = new TimeSeriesDataset("D", [0f, 2f, 4f, 2f, 2f, 8f], 2, 1, 3, ["a", "b"]);
        var valid = new TimeSeriesDataset("D", [3f, 2f, 6f], 1, 1, 3, ["a"]);
        using var loaders = DataLoaders.FromDatasets(train, valid, new DataLoadersOptions { Normalization = Normalization.MeanSeries });
        using var scope = torch.NewDisposeScope();

        // When the validation series 3 2 6 is prepared
        var x = loaders.Valid.OneBatch().Inputs.data<float>().ToArray();

        // Then it is (3 - 1, 2 - 2, 6 - 6) / √(10/6)
        var deviation = Math.Sqrt(10.0 / 6);
        Assert.Equal([1f, 2f, 6f], loaders.Normalizer.Offsets);
        Assert.Equal((float)deviation, Assert.Single(loaders.Normalizer.Scales), 6);
        Assert.Equal(3, loaders.Normalizer.Steps);
        Assert.Equal(2 / deviation, x[0], 5);
        Assert.Equal([0f, 0f], x[1..]);
    }

    [Fact]
    public void Should_Fit_Each_Channel_On_The_Values_Present()
    {
        // Given two channels: channel 0 with a missing value (series 1, step 1) and series 1 ending after 2 steps;
        // channel 1 the same in every series
        var nan = float.NaN;
        var train = new TimeSeriesDataset("D",
            [0f, 4f, 6f, 5f, 5f, 5f,
             2f, nan, 0f, 5f, 5f, 0f],
            2, 2, 3, ["a", "b"], lengths: [3, 2]);

        // When the mean series is fitted
        var normalizer = Normalizer.Fit(Normalization.MeanSeries, train);

        // Then channel 0's mean is 1 (0, 2), 4 (4 alone), 6 (6 alone) and its deviation √((1 + 1) / 4) from the four
        // values present; channel 1 never departs from 5 (deviation 0: centred, then divided by 1)
        Assert.Equal([1f, 4f, 6f, 5f, 5f, 5f], normalizer.Offsets);
        Assert.Equal([(float)Math.Sqrt(0.5), 0f], normalizer.Scales);
        var prepared = normalizer.Prepare(train, MissingValues.Zero);
        Assert.Equal([0f, 0f, 0f], prepared[3..6]);
        Assert.Equal(3, normalizer.Steps);
    }

    [Fact]
    public void Should_Give_A_Step_No_Training_Series_Reaches_Its_Neighbours_Mean()
    {
        // Given training series 1 3 and 3 5 padded to 3 steps (as to a longer validation part), and series whose
        // middle step is missing in both
        var padded = new TimeSeriesDataset("D", [1f, 3f, 0f, 3f, 5f, 0f], 2, 1, 3, ["a", "b"], lengths: [2, 2]);
        var holed = new TimeSeriesDataset("D", [1f, float.NaN, 5f, 3f, float.NaN, 7f], 2, 1, 3, ["a", "b"]);

        // When their mean series are fitted
        var afterEnd = Normalizer.Fit(Normalization.MeanSeries, padded);
        var inside = Normalizer.Fit(Normalization.MeanSeries, holed);

        // Then the unreached step takes the nearest mean (not 0, which would pass the raw value on, divided by a small
        // deviation), and the missing one the interpolation of its neighbours'
        Assert.Equal([2f, 4f, 4f], afterEnd.Offsets);
        Assert.Equal([2f, 4f, 6f], inside.Offsets);
    }

    [Fact]
    public void Should_Refuse_A_Classifier_Whose_Mean_Series_Is_Not_Its_Series_Length()
    {
        // Given a mean series of 3 steps
        var normalizer = Normalizer.Fit(Normalization.MeanSeries, new TimeSeriesDataset("D", [0f, 1f, 2f, 1f, 1f, 1f], 2, 1, 3, ["a", "b"]));
        using var model = Seeded.Build(1, () => new InceptionTime(1, 2, new InceptionTimeOptions { Depth = 1, Filters = 4 }));

        // When a classifier of series of 4 steps is built with it, it is refused (such a model would save and not load)
        var error = Assert.Throws<ArgumentException>(() => new TimeSeriesClassifier(model, ["a", "b"], normalizer, MissingValues.Interpolate, 4, "D"));

        Assert.Contains("the normalizer's mean series has 3 steps, the series 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Series_Longer_Than_The_Mean_Series_Naming_The_File()
    {
        // Given a normalizer fitted on series of 3 steps
        var normalizer = Normalizer.Fit(Normalization.MeanSeries, new TimeSeriesDataset("D", [0f, 1f, 2f, 1f, 1f, 1f], 2, 1, 3, ["a", "b"]));
        var longer = new TimeSeriesDataset("New", [0f, 1f, 2f, 3f], 1, 1, 4, null, sources: ["new.tsv"]);
        var shorter = new TimeSeriesDataset("New", [1f, 1f], 1, 1, 2, null);

        // Then series of 4 steps are refused by file, and shorter ones take the mean series' first steps
        var error = Assert.Throws<DatasetFormatException>(() => normalizer.Prepare(longer, MissingValues.Interpolate));
        Assert.Contains("new.tsv", error.Message, StringComparison.Ordinal);
        Assert.Contains("series of up to 3 steps expected", error.Message, StringComparison.Ordinal);
        var prepared = normalizer.Prepare(shorter, MissingValues.Interpolate);
        Assert.Equal(0.5 / Math.Sqrt(1.0 / 6), prepared[0], 5); // mean series 0.5 1 1.5, departures ∓0.5 0 ±0.5
        Assert.Equal(0f, prepared[1]);
    }

    [Theory]
    [InlineData(3, 2)] // three offsets for two channels
    [InlineData(0, 1)]
    [InlineData(3, 0)]
    public void Should_Refuse_Statistics_That_Are_Not_A_Mean_Series_Per_Channel(int offsets, int scales)
    {
        var error = Assert.Throws<ArgumentException>(() => Normalizer.FromStatistics(Normalization.MeanSeries, new float[offsets], new float[scales]));
        Assert.Contains("one scale per channel and a mean series of the same length for each", error.Message, StringComparison.Ordinal);
    }

    // Two series at ± d around a curve alternating -1, 1: each step spreads d, all the values √(1 + d²).
    private static TimeSeriesDataset AroundCurve(double d, int length = 8)
    {
        var values = new float[2 * length];
        for (var t = 0; t < length; t++)
        {
            var curve = t % 2 == 0 ? -1.0 : 1.0;
            values[t] = (float)(curve + d);
            values[length + t] = (float)(curve - d);
        }
        return new TimeSeriesDataset("Curve", values, 2, 1, length, ["a", "b"]);
    }

    [Theory]
    [InlineData(0.01, true)]
    [InlineData(0.029, true)]
    [InlineData(0.031, false)]
    [InlineData(0.5, false)]
    public void Should_Measure_How_Far_Series_Depart_From_Their_Mean_Against_Their_Spread(double d, bool nearCopies)
    {
        var departure = MeanSeriesDeparture.Of(AroundCurve(d));

        Assert.NotNull(departure);
        Assert.Equal(d / Math.Sqrt(1 + d * d), departure.Value.Ratio, 1e-6);
        Assert.Equal(nearCopies, departure.Value.NearCopies);
        Assert.StartsWith(nearCopies ? "the training series are near copies of one curve: " : "the training series vary about their mean series: ", departure.Value.Describe(1), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Measure_Only_Steps_Where_Two_Series_Or_More_Have_A_Value()
    {
        // Given two series 0.5 either side of the curve, the second missing at 6 of its 8 steps
        var data = AroundCurve(0.5);
        var values = data.Values.ToArray();
        for (var t = 2; t < 8; t++)
            values[8 + t] = float.NaN;
        var holed = new TimeSeriesDataset("Curve", values, 2, 1, 8, ["a", "b"]);

        // When the departure is measured
        var departure = MeanSeriesDeparture.Of(holed);

        // Then the 6 steps with one value are left out (counted, their spread of 0 would make the median 0: near copies)
        Assert.NotNull(departure);
        Assert.False(departure.Value.NearCopies);
        Assert.InRange(departure.Value.Ratio, 0.3, 1);
    }

    [Fact]
    public void Should_Not_Compare_Steps_Of_Series_Of_Different_Lengths()
    {
        var ragged = new TimeSeriesDataset("D", [0f, 1f, 2f, 0f, 1f, 0f], 2, 1, 3, ["a", "b"], lengths: [3, 2]);

        Assert.Null(MeanSeriesDeparture.Of(ragged));
    }

    [Fact]
    public void Should_Choose_The_Mean_Series_For_Near_Copies_And_Say_Why()
    {
        // Given series a hundredth apart around one curve, and GunPoint, whose series differ in shape
        var copies = AroundCurve(0.01, 16);
        var gunPoint = DatasetReader.Read(TestData.GunPointTrainArff);

        // When the loaders choose the normalization
        using var nearCopies = DataLoaders.FromDatasets(copies, copies, new DataLoadersOptions { Normalization = null, BatchSize = 2 });
        using var shapes = DataLoaders.FromDatasets(gunPoint, gunPoint, new DataLoadersOptions { Normalization = null });

        // Then the near copies lose their mean series, with the reason train prints; GunPoint stays as read (0.42)
        Assert.Equal(Normalization.MeanSeries, nearCopies.Normalizer.Kind);
        Assert.Equal("the training series are near copies of one curve: at the median time step they spread 0.01 of their overall deviation around their mean series (under 0.03)", nearCopies.NormalizationReason);
        Assert.Equal(
            $"auto: mean-series normalization, as {nearCopies.NormalizationReason}; --normalize none keeps the values as read",
            Assert.Single(SettingNames.Chosen(nearCopies)));
        Assert.Equal(Normalization.None, shapes.Normalizer.Kind);
        Assert.InRange(MeanSeriesDeparture.Of(gunPoint)!.Value.Ratio, 0.40, 0.44);
    }

    [Fact]
    public void Should_Refuse_To_Save_A_Mean_Series_Too_Long_For_A_Model_File_And_Write_Nothing()
    {
        // Given a classifier whose mean series has 8 million steps (a header of over 100 MB, indented JSON, against the 64 MiB allowed)
        using var folder = new TempFolder();
        const int steps = 8_000_000;
        var mean = new float[steps];
        Array.Fill(mean, 0.123456f);
        using var classifier = new TimeSeriesClassifier(Seeded.Build(1, () => new InceptionTime(1, 2, new InceptionTimeOptions { Depth = 1, Filters = 4 })),
            ["a", "b"], Normalizer.FromStatistics(Normalization.MeanSeries, mean, [1f]), MissingValues.Interpolate, steps, "Long");

        // When it is saved, it is refused by name and nothing is left behind
        var error = Assert.Throws<ModelFileException>(() => classifier.Save(folder.Combine("model.chronoscope")));
        Assert.Contains("its 8,000,000 normalization values and 2 class names are too many to keep", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Should_Refuse_To_Import_A_Mean_Series_Of_Another_Length_Than_The_Series()
    {
        // Given a GunPoint classifier exported to PyTorch, whose JSON then says the series have 149 steps
        using var folder = new TempFolder();
        using (var original = InteropModels.For(DatasetReader.Read(TestData.GunPointTrainArff), SmallModels.Shape, seed: 5, Normalization.MeanSeries))
            PyTorchModels.Export(original, folder.Combine("model.pt"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(folder.Combine("model.json")))!;
        json["seriesLength"] = 149;
        File.WriteAllText(folder.Combine("model.json"), json.ToJsonString());

        // When it is imported, it is refused, naming the JSON and what would fit
        var error = Assert.Throws<ModelInteropException>(() => PyTorchModels.Import(folder.Combine("model.pt")));

        Assert.Contains("model.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("a mean series of 150 steps for series of 149: it should have their length (\"seriesLength\": 150, or 149 offsets per channel).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Predict_The_Same_After_Saving_Loading_And_A_PyTorch_Round_Trip()
    {
        // Given a GunPoint classifier that subtracts its training mean series
        using var folder = new TempFolder();
        var train = DatasetReader.Read(TestData.GunPointTrainArff);
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        using var original = InteropModels.For(train, SmallModels.Shape, seed: 5, Normalization.MeanSeries);
        using var leaks = new TensorLeakCheck();

        // When it is saved and loaded, and exported to PyTorch and imported
        original.Save(folder.Combine("model.chronoscope"));
        using var loaded = TimeSeriesClassifier.Load(folder.Combine("model.chronoscope"));
        PyTorchModels.Export(original, folder.Combine("model.pt"));
        using var imported = PyTorchModels.Import(folder.Combine("model.pt")).Classifier;

        // Then both keep the mean series and predict bit for bit as the original
        var expected = original.Predict(test).Probabilities.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
        foreach (var copy in new[] { loaded, imported })
        {
            Assert.Equal(Normalization.MeanSeries, copy.Normalizer.Kind);
            Assert.Equal(original.Normalizer.Offsets, copy.Normalizer.Offsets);
            Assert.Equal(original.Normalizer.Scales, copy.Normalizer.Scales);
            Assert.Equal(expected, copy.Predict(test).Probabilities.ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(150, loaded.Normalizer.Steps);
    }
}
