using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference.Interop;
using Chronoscope.Onnx;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;

namespace Chronoscope.Tests.Inference;

/// <summary>
/// Misuse of the library a hostile pass found answered badly (a native crash, silently wrong results, a file without
/// weights): each answered now with a result in the right order or an exception that says what is wrong.
/// </summary>
public sealed class LibraryMisuseTests
{
    [Fact]
    public void Should_Refuse_A_Negative_Count_Or_A_Share_Outside_0_To_1_When_Splitting()
    {
        // A negative count reached torch.randperm, which crashed the process
        Assert.Throws<ArgumentOutOfRangeException>(() => DataLoaders.SplitIndices(-1, 0.2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataLoaders.SplitIndices(10, 2.0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DataLoaders.SplitIndices(10, double.NaN, 0));
        Assert.Equal(2, DataLoaders.SplitIndices(10, 0.2, 0).Valid.Length);
    }

    [Fact]
    public void Should_Predict_A_Shuffled_Loader_In_Its_Series_Order_With_Every_Series()
    {
        // Given the training loader of GunPoint in batches of 16 (shuffled, last partial batch dropped)
        using var classifier = SmallModels.GunPoint();
        using var data = DataLoaders.FromFiles([TestData.GunPointTrainArff], new DataLoadersOptions { BatchSize = 16, ValidPercent = 0.2 });
        Assert.True(data.Train.Shuffle);

        // When it is predicted, then row i is series i, as predicting its dataset in batches of 64 gives (a second path;
        // the batch size changes the rounding, not the order: before, 48 of 50 rows were another series' or empty)
        var fromLoader = classifier.Predict(data.Train).Probabilities.ToArray();
        var fromDataset = classifier.Predict(data.Train.Dataset).Probabilities.ToArray();
        Assert.Equal(fromDataset.Length, fromLoader.Length);
        Assert.All(fromDataset.Zip(fromLoader), p => Assert.Equal(p.First, p.Second, 1e-3));
    }

    [Fact]
    public void Should_Count_Batches_Of_A_Batch_Size_Near_Int_MaxValue()
    {
        // (count + batch − 1) overflowed to a negative number of batches: an empty training set in effect
        Assert.Equal(1, DataLoader.BatchesPerEpoch(50, int.MaxValue, dropLast: false));
        using var data = DataLoaders.FromFiles([TestData.GunPointTrainArff], new DataLoadersOptions { BatchSize = int.MaxValue, ValidPercent = 0.2 });
        Assert.Equal(1, data.Valid.BatchCount);
    }

    [Fact]
    public void Should_Refuse_To_Fit_With_An_Empty_Validation_Set_Rather_Than_Call_It_Divergence()
    {
        var train = DatasetReader.Read(TestData.GunPointTrainArff);
        using var data = DataLoaders.FromDatasets(train, train.Subset([]), new DataLoadersOptions { BatchSize = 16 });
        using var learner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Tiny });

        var error = Assert.Throws<InvalidOperationException>(() => learner.FitOneCycle(1, 1e-3));

        Assert.StartsWith("the validation set is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_To_Export_A_Disposed_Classifier_And_Write_Nothing()
    {
        using var folder = new TempFolder();
        var classifier = SmallModels.GunPoint();
        classifier.Dispose();

        Assert.Throws<ObjectDisposedException>(() => PyTorchModels.Export(classifier, folder.Combine("w.pt")));
        Assert.Throws<ObjectDisposedException>(() => OnnxExport.Save(classifier, folder.Combine("m.onnx")));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Should_Refuse_A_Class_Index_Outside_The_Classes_When_Reading_Probabilities()
    {
        // Class 2 of item 0 read class 0 of item 1
        using var classifier = SmallModels.GunPoint();
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        var predictions = classifier.Predict(test);
        var maps = new Explainer(classifier).Explain(test, [0, 1]);

        Assert.Throws<ArgumentOutOfRangeException>(() => predictions.Probability(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => predictions.Probability(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => maps.Probability(0, 2));
        Assert.Equal(1, predictions.Probability(0, 0) + predictions.Probability(0, 1), 1e-6);
    }

    [Fact]
    public void Should_Name_An_Infinite_Value_When_A_Dataset_Is_Made()
    {
        // An infinity made every normalized value NaN, then read as divergence; NaN (missing) stays accepted
        var error = Assert.Throws<ArgumentException>(() => new TimeSeriesDataset("i", [1, 2, 3, 4, 5, 1, 2, float.NegativeInfinity, 4, 5], 2, 1, 5, ["a", "b"]));

        Assert.StartsWith("series 1, channel 0, step 2 is -infinity: expected a finite value, or NaN for a missing one", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, new TimeSeriesDataset("n", [1, float.NaN, 3, 4], 2, 1, 2, ["a", "b"]).MissingValueCount);
    }

    public static TheoryData<LearnerOptions, string> BadLearnerOptions => new()
    {
        { new LearnerOptions { LabelSmoothing = 2 }, "LearnerOptions.LabelSmoothing: expected a share from 0 up to 1, found 2" },
        { new LearnerOptions { LabelSmoothing = -1 }, "LearnerOptions.LabelSmoothing: expected a share from 0 up to 1, found -1" },
        { new LearnerOptions { WeightDecay = double.NaN }, "LearnerOptions.WeightDecay: expected a finite number of 0 or more, found NaN" },
        { new LearnerOptions { Beta2 = 1.5 }, "LearnerOptions.Beta2: expected a decay from 0 up to 1, found 1.5" },
        { new LearnerOptions { Epsilon = 0 }, "LearnerOptions.Epsilon: expected a finite number above 0, found 0" },
        { new LearnerOptions { Loss = (LossKind)9 }, "LearnerOptions.Loss: expected one of " },
        { new LearnerOptions { Metrics = [Metric.Accuracy, Metric.Accuracy] }, "LearnerOptions.Metrics: expected each metric once, found accuracy, accuracy" },
    };

    [Theory]
    [MemberData(nameof(BadLearnerOptions))]
    public void Should_Refuse_Learner_Options_Outside_Their_Meaning_Before_Training(LearnerOptions options, string expected)
    {
        // A label smoothing of 2 was libtorch's error mid-fit; a metric twice failed after the whole fit; others trained to nonsense
        var train = DatasetReader.Read(TestData.GunPointTrainArff);
        using var data = DataLoaders.FromDatasets(train, train, new DataLoadersOptions { BatchSize = 16 });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Learner.Create(data, options with { Model = SmallModels.Tiny }));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
