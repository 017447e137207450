using Chronoscope.Data;
using Chronoscope.Models;
using Chronoscope.Tests.Infrastructure;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;
using TorchSharp;

namespace Chronoscope.Tests.Training;

public sealed class TimeSeriesClassifierTests
{
    private static TimeSeriesClassifier SmallClassifier(int seed = 7)
    {
        torch.manual_seed(seed);
        var train = SyntheticData.Create(12, 2, 40, 3, seed: 1);
        var model = new InceptionTime(2, 3, new InceptionTimeOptions { Depth = 2, Filters = 4 });
        return new TimeSeriesClassifier(model, train.Classes, Normalizer.Fit(Normalization.PerChannel, train), MissingValues.Interpolate, 40, "Synthetic");
    }

    [Fact]
    public void Should_Pool_Predictions_Of_Several_Sets_As_The_Prediction_Of_Their_Union()
    {
        // Given a classifier and a set of 10 series split into 4 + 6
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallClassifier();
        var all = SyntheticData.Create(10, 2, 40, 3, seed: 5);

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
        using var classifier = SmallClassifier();
        var labelled = SyntheticData.Create(3, 2, 40, 3, seed: 5);
        var unlabelled = new TimeSeriesDataset("Unlabelled", labelled.Values.ToArray(), 3, 2, 40, null);

        var error = Assert.Throws<ArgumentException>(() => Predictions.Concatenate([classifier.Predict(labelled), classifier.Predict(unlabelled)]));

        Assert.Contains("part 1 is unlabelled but part 0 is not", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Predict_The_Same_After_Saving_And_Loading()
    {
        // Given a classifier with per-channel normalization, saved to a file
        using var leaks = new TensorLeakCheck();
        using var folder = new TempFolder();
        using var classifier = SmallClassifier();
        var path = folder.Combine("model.chronoscope");
        classifier.Save(path);
        var data = SyntheticData.Create(6, 2, 40, 3, seed: 9);

        // When it is loaded again
        using var loaded = TimeSeriesClassifier.Load(path);

        // Then it has the same classes, shape and normalization, and predicts exactly the same probabilities
        Assert.Equal(classifier.Classes, loaded.Classes);
        Assert.Equal((2, 3, 40, "Synthetic"), (loaded.Model.InputChannels, loaded.Model.ClassCount, loaded.SeriesLength, loaded.DatasetName));
        Assert.Equal(classifier.Normalizer.Offsets.ToArray(), loaded.Normalizer.Offsets.ToArray());
        Assert.Equal(classifier.Predict(data).Probabilities.ToArray(), loaded.Predict(data).Probabilities.ToArray());
        // and nothing but the model file is left in the folder (the temporary file was renamed)
        Assert.Equal(["model.chronoscope"], folder.Entries());
    }

    [Fact]
    public void Should_Name_The_File_And_The_Problem_Of_A_Truncated_Model()
    {
        using var folder = new TempFolder();
        using var classifier = SmallClassifier();
        var path = folder.Combine("model.chronoscope");
        classifier.Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<ModelFileException>(() => TimeSeriesClassifier.Load(path));

        Assert.StartsWith($"{path}: truncated: expected at least {bytes.Length} bytes, found {bytes.Length / 2}", error.Message, StringComparison.Ordinal);
    }
}
