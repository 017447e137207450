using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Inference;

public sealed class TimeSeriesClassifierTests
{
    private static TimeSeriesClassifier Classifier(int channels = 2, InceptionTimeOptions? options = null)
    {
        var train = SyntheticData.Create(10, channels, 20, 3, seed: 1);
        return new TimeSeriesClassifier(Seeded.Build(1, () => new InceptionTime(channels, 3, options)), train.Classes,
            Normalizer.Fit(Normalization.PerChannel, train), MissingValues.Interpolate, 20, "Synthetic")
        {
            Training = new TrainingSummary { Epochs = 7, MaxLearningRate = 1e-3, Split = "official", Metrics = new Dictionary<string, double> { ["accuracy"] = 0.5 } },
        };
    }

    [Fact]
    public void Should_Predict_The_Same_After_Saving_And_Loading()
    {
        // Given a classifier with per-channel statistics and a paper-variant network
        using var leaks = new TensorLeakCheck();
        using var folder = new TempFolder();
        using var original = Classifier(options: InceptionTimeOptions.Paper with { Depth = 4 });
        var data = SyntheticData.Create(6, 2, 25, 3, seed: 2);
        var path = Path.Combine(folder.Path, "model.chronoscope");

        // When it is saved and loaded
        original.Save(path);
        using var loaded = TimeSeriesClassifier.Load(path);

        // Then everything it needs came back, and it predicts identically
        Assert.Equal(original.Classes, loaded.Classes);
        Assert.Equal(original.Normalizer.Kind, loaded.Normalizer.Kind);
        Assert.Equal(original.Normalizer.Offsets, loaded.Normalizer.Offsets);
        Assert.Equal(original.Normalizer.Scales, loaded.Normalizer.Scales);
        Assert.Equal(MissingValues.Interpolate, loaded.MissingValues);
        Assert.Equal((20, "Synthetic"), (loaded.SeriesLength, loaded.DatasetName));
        Assert.Equal(InceptionTimeVariant.Paper, loaded.Model.Options.Variant);
        Assert.Equal(4, loaded.Model.Options.Depth);
        Assert.Equal([40, 20, 10], loaded.Model.Options.KernelSizes);
        Assert.Equal(7, loaded.Training!.Epochs);
        Assert.Equal(0.5, loaded.Training.Metrics["accuracy"]);
        Assert.Equal(original.Predict(data).Probabilities.ToArray(), loaded.Predict(data).Probabilities.ToArray());
        Assert.Single(Directory.GetFiles(folder.Path)); // no temporary file left behind
    }

    [Theory]
    [InlineData(Normalization.PerChannel)]
    [InlineData(Normalization.MinMax)]
    public void Should_Load_A_Model_Whose_Training_Series_Had_A_Constant_Channel(Normalization normalization)
    {
        // Given a classifier fitted on two channels, the second constant (deviation and range 0, divided by 1)
        using var leaks = new TensorLeakCheck();
        using var folder = new TempFolder();
        var train = new TimeSeriesDataset("Flat", [0f, 1f, 2f, 5f, 5f, 5f, 2f, 0f, 1f, 5f, 5f, 5f], 2, 2, 3, ["a", "b"]);
        using var original = new TimeSeriesClassifier(Seeded.Build(1, () => new InceptionTime(2, 2, new InceptionTimeOptions { Depth = 1, Filters = 4 })),
            train.Classes, Normalizer.Fit(normalization, train), MissingValues.Interpolate, 3, "Flat");
        Assert.Equal(0f, original.Normalizer.Scales[1]);

        // When it is saved and loaded
        original.Save(folder.Combine("model.chronoscope"));
        using var loaded = TimeSeriesClassifier.Load(folder.Combine("model.chronoscope"));

        // Then it predicts as before
        Assert.Equal(original.Predict(train).Probabilities.ToArray(), loaded.Predict(train).Probabilities.ToArray());
    }

    [Fact]
    public void Should_Refuse_Class_Names_That_Do_Not_Tell_The_Outputs_Apart_And_Statistics_That_Cannot_Scale()
    {
        // Given a network of two outputs
        using var model = new InceptionTime(1, 2, new InceptionTimeOptions { Depth = 1, Filters = 4 });
        var none = Normalizer.FromStatistics(Normalization.None, [], []);

        // Then one name for both outputs is refused when the classifier is made, as a model file's header is
        var error = Assert.Throws<ArgumentException>(() => new TimeSeriesClassifier(model, ["a", "a"], none, MissingValues.Interpolate, 8, "Twice"));
        Assert.StartsWith("each output needs its own class name, found 'a', 'a'", error.Message, StringComparison.Ordinal);

        // and statistics a model file would refuse are refused by the normalizer they make: a negative or infinite
        // scale, a NaN offset (a scale of 0, a constant training channel, is taken)
        Assert.Contains("found -1", Assert.Throws<ArgumentException>(() => Normalizer.FromStatistics(Normalization.PerChannel, [0f], [-1f])).Message, StringComparison.Ordinal);
        Assert.Contains("found Infinity", Assert.Throws<ArgumentException>(() => Normalizer.FromStatistics(Normalization.MinMax, [0f], [float.PositiveInfinity])).Message, StringComparison.Ordinal);
        Assert.Contains("found NaN", Assert.Throws<ArgumentException>(() => Normalizer.FromStatistics(Normalization.PerChannel, [float.NaN], [1f])).Message, StringComparison.Ordinal);
        Assert.Equal([0f], Normalizer.FromStatistics(Normalization.PerChannel, [3f], [0f]).Scales);
    }

    [Fact]
    public void Should_Refuse_To_Save_Once_Disposed_And_Write_Nothing()
    {
        // Given a classifier that was disposed (its networks' weights are freed)
        using var folder = new TempFolder();
        var classifier = Classifier();
        classifier.Dispose();

        // Then saving it throws instead of writing a model file without weights, which could not be loaded
        Assert.Throws<ObjectDisposedException>(() => classifier.Save(folder.Combine("model.chronoscope")));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Should_Pool_Predictions_Of_Several_Sets_As_The_Prediction_Of_Their_Union()
    {
        // Given a classifier and a set of 10 series split into 4 + 6
        using var leaks = new TensorLeakCheck();
        using var classifier = Classifier();
        var all = SyntheticData.Create(10, 2, 20, 3, seed: 5);

        // When the parts are predicted separately and pooled
        var pooled = Predictions.Concatenate([classifier.Predict(all.Subset([0, 1, 2, 3])), classifier.Predict(all.Subset([4, 5, 6, 7, 8, 9]))]);
        var whole = classifier.Predict(all);

        // Then it is the prediction of the whole set: same probabilities, targets, confusion and top losses
        Assert.Equal(whole.Count, pooled.Count);
        Assert.Equal(whole.Probabilities.ToArray(), pooled.Probabilities.ToArray());
        Assert.Equal(whole.Targets, pooled.Targets);
        Assert.Equal(whole.Confusion()!.ToRows(), pooled.Confusion()!.ToRows());
        Assert.Equal(whole.TopLosses(3), pooled.TopLosses(3));
    }

    [Fact]
    public void Should_Refuse_To_Pool_Labelled_With_Unlabelled_Predictions()
    {
        using var classifier = Classifier();
        var labelled = SyntheticData.Create(3, 2, 20, 3, seed: 5);
        var unlabelled = new TimeSeriesDataset("Unlabelled", labelled.Values.ToArray(), 3, 2, 20, null);

        var error = Assert.Throws<ArgumentException>(() => Predictions.Concatenate([classifier.Predict(labelled), classifier.Predict(unlabelled)]));

        Assert.Contains("part 1 is unlabelled but part 0 is not", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_A_Foreign_File()
    {
        using var folder = new TempFolder();
        var path = folder.Write("model.chronoscope", "@relation GunPoint\n");

        var error = Assert.Throws<ModelFileException>(() => TimeSeriesClassifier.Load(path));

        Assert.Equal($"{path}: not a Chronoscope model file (expected it to start with \"CHRONOSCOPE-MODEL\", found \"@relation GunPoi\").", error.Message);
    }

    [Theory]
    [InlineData(30)]       // inside the header
    [InlineData(2000)]     // inside the weights
    [InlineData(-1)]       // only the checksum's last byte missing
    public void Should_Say_A_Truncated_File_Is_Truncated(int keep)
    {
        using var leaks = new TensorLeakCheck();
        using var folder = new TempFolder();
        using var classifier = Classifier();
        var path = Path.Combine(folder.Path, "model.chronoscope");
        classifier.Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(keep >= 0 ? keep : bytes.Length + keep)]);

        var error = Assert.Throws<ModelFileException>(() => TimeSeriesClassifier.Load(path));

        Assert.StartsWith($"{path}: truncated", error.Message);
    }

    [Fact]
    public void Should_Notice_A_Changed_Byte()
    {
        using var leaks = new TensorLeakCheck();
        using var folder = new TempFolder();
        using var classifier = Classifier();
        var path = Path.Combine(folder.Path, "model.chronoscope");
        classifier.Save(path);
        var bytes = File.ReadAllBytes(path);
        bytes[^100] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<ModelFileException>(() => TimeSeriesClassifier.Load(path));

        Assert.Contains("corrupt: its checksum does not match", error.Message);
    }

    [Fact]
    public void Should_Refuse_Data_With_Another_Channel_Count()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = Classifier(channels: 2);
        var data = new TimeSeriesDataset("Other", new float[3 * 20], 1, 3, 20, ["0"], sources: ["other_TEST.ts"]);

        var error = Assert.Throws<DatasetFormatException>(() => classifier.Predict(data));

        Assert.Equal("other_TEST.ts: the model was trained on 2-channel series (Synthetic), this data has 3 channels.", error.Message);
    }

    [Fact]
    public void Should_Replace_An_Existing_Model_File_Whole()
    {
        using var leaks = new TensorLeakCheck();
        using var folder = new TempFolder();
        using var classifier = Classifier();
        var path = folder.Write("model.chronoscope", new string('x', 10_000_000));

        classifier.Save(path);

        using var loaded = TimeSeriesClassifier.Load(path);
        Assert.Equal(classifier.Classes, loaded.Classes);
    }
}
