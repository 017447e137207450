using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Inference.Interop;
using Chronoscope.Models;
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
    public void Should_Answer_A_Disposed_Classifier_As_Disposed_When_Its_Networks_Are_Copied()
    {
        // Given a disposed classifier (its networks' state_dicts are empty)
        using var leaks = new TensorLeakCheck();
        var disposed = SmallModels.GunPoint();
        disposed.Dispose();
        using var alive = SmallModels.GunPoint();

        // When a member or an ensemble is copied from it, then it is answered as disposed (before: "The loaded
        // state_dict is not identical to the target dictionary"), and nothing is left behind
        Assert.Throws<ObjectDisposedException>(() => disposed.Member(0));
        Assert.Throws<ObjectDisposedException>(() => TimeSeriesClassifier.Ensemble([alive, disposed]));
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

    public static TheoryData<OneCycleOptions, string> BadOneCycleOptions => new()
    {
        { new OneCycleOptions { WarmupFraction = 2 }, "OneCycleOptions.WarmupFraction: expected a share of the fit from 0 to 1, found 2" },
        { new OneCycleOptions { Divisor = 0 }, "OneCycleOptions.Divisor: expected a finite number above 0" },
        { new OneCycleOptions { FinalDivisor = double.PositiveInfinity }, "OneCycleOptions.FinalDivisor: expected a finite number above 0" },
        { new OneCycleOptions { MaxMomentum = 1.5 }, "OneCycleOptions.MaxMomentum: expected Adam's beta1, from 0 up to 1, found 1.5" },
        { new OneCycleOptions { MinMomentum = -0.1 }, "OneCycleOptions.MinMomentum: expected Adam's beta1, from 0 up to 1, found -0.1" },
    };

    [Theory]
    [MemberData(nameof(BadOneCycleOptions))]
    public void Should_Refuse_A_One_Cycle_Shape_The_Policy_Cannot_Take_Naming_The_Option(OneCycleOptions options, string expected)
    {
        // A warm-up of 2 read "fractions must sum to 1"; a divisor of 0 trained at an infinite rate; a momentum of 1.5 diverged
        using var data = TinyData();
        using var learner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Tiny });

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => learner.FitOneCycle(1, 1e-3, options));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Null(learner.LastFit);
    }

    [Fact]
    public void Should_Refuse_A_Null_Callback_Or_Learning_Rate_Before_Training()
    {
        using var data = TinyData();
        using var learner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Tiny });

        Assert.Throws<ArgumentException>(() => learner.FitOneCycle(1, 1e-3, callbacks: [null!]));
        learner.Callbacks.Add(null!);
        Assert.Contains("Learner.Callbacks holds a null callback", Assert.Throws<ArgumentException>(() => learner.FitOneCycle(1, 1e-3)).Message, StringComparison.Ordinal);
        learner.Callbacks.Clear();
        Assert.Throws<ArgumentOutOfRangeException>(() => learner.FitOneCycle(1, double.NaN));
        Assert.Null(learner.LastFit);
    }

    [Fact]
    public void Should_Refuse_A_Learning_Rate_Beyond_A_Float_Or_A_Schedule_That_Leaves_Its_Range()
    {
        // 1e300 failed inside libtorch ("cannot be converted to type float without overflow"); a schedule's NaN trained on
        using var data = TinyData();
        using var learner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Tiny });

        Assert.Throws<ArgumentOutOfRangeException>(() => learner.FitOneCycle(1, 1e300));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => learner.Fit(1, new Schedule("nan", _ => double.NaN)));
        Assert.StartsWith("the learning rate of this step (its schedule's value) must be a finite number of 0 or more", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => learner.Fit(1, Schedule.Constant(1e-3), Schedule.Constant(1.5)));
    }

    [Fact]
    public void Should_Refuse_Null_Or_Undefined_Network_Options()
    {
        Assert.Throws<ArgumentNullException>(() => new InceptionTime(1, 2, SmallModels.Tiny with { KernelSizes = null! }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InceptionTime(1, 2, SmallModels.Tiny with { Variant = (InceptionTimeVariant)7 }));
    }

    [Fact]
    public void Should_Refuse_Maps_Of_Other_Series_Of_The_Same_Shape_When_Scoring_Faithfulness()
    {
        // Maps of GunPoint's test series 0-1 scored against its training series 0-1 (same length): before, curves of
        // maps that explain other series, without a word
        using var classifier = SmallModels.GunPoint();
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        var train = DatasetReader.Read(TestData.GunPointTrainArff);
        var maps = new Explainer(classifier).Explain(test, [0, 1]);
        var faithfulness = new Faithfulness(classifier);

        var error = Assert.Throws<ArgumentException>(() => faithfulness.Evaluate(train, maps, new FaithfulnessOptions { Steps = 2 }));

        Assert.StartsWith("map 0 explains item 0 of other data", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, faithfulness.Evaluate(test, maps, new FaithfulnessOptions { Steps = 2 }).Items.Count);
    }

    [Fact]
    public void Should_Refuse_Explain_Options_Without_A_Method_Or_With_A_Reversed_Or_Infinite_Scale()
    {
        using var classifier = SmallModels.GunPoint();
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        var explainer = new Explainer(classifier);

        Assert.Throws<ArgumentNullException>(() => explainer.Explain(test, [0], new ExplainOptions { Method = null! }));
        Assert.Throws<ArgumentOutOfRangeException>(() => explainer.Explain(test, [0], new ExplainOptions { ScaleRange = (double.NaN, 1) }));
        // A reversed range made maps a picture then refused ("expected low ≤ high")
        Assert.Throws<ArgumentOutOfRangeException>(() => explainer.Explain(test, [0], new ExplainOptions { ScaleRange = (1, 0) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => explainer.Explain(test, [0], new ExplainOptions { Reduction = (Reduction)9 }));
        var returnsNull = MapMethod.FromFunction("nothing", _ => null!);
        Assert.Contains("returned null", Assert.Throws<InvalidOperationException>(() => explainer.Explain(test, [0], new ExplainOptions { Method = returnsNull })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Null_Parts_And_Indices_Outside_The_Data_Where_Datasets_Are_Combined()
    {
        var train = DatasetReader.Read(TestData.GunPointTrainArff);

        Assert.Throws<ArgumentNullException>(() => train.Subset(null!));
        Assert.Equal("expected series indices from 0 to 49 (Parameter 'indices')\nActual value was 50.", Assert.Throws<ArgumentOutOfRangeException>(() => train.Subset([0, 50])).Message);
        Assert.Throws<ArgumentException>(() => TimeSeriesDataset.Concatenate("c", [train, null!]));
        Assert.Throws<ArgumentException>(() => new TimeSeriesDataset("d", [1, 2], 1, 1, 2, ["a"], declaredClasses: [null!]));
        using var classifier = SmallModels.GunPoint();
        Assert.Throws<ArgumentException>(() => TimeSeriesClassifier.Ensemble([classifier, null!]));
    }

    [Fact]
    public void Should_Answer_A_Disposed_Loader_As_Disposed()
    {
        var train = DatasetReader.Read(TestData.GunPointTrainArff);
        var data = DataLoaders.FromDatasets(train, train, new DataLoadersOptions { BatchSize = 16 });
        data.Dispose();

        Assert.Throws<ObjectDisposedException>(() => data.Train.OneBatch());
    }

    [Fact]
    public void Should_Refuse_Undefined_Enumeration_Values_Where_They_Enter()
    {
        var train = DatasetReader.Read(TestData.GunPointTrainArff);
        using var classifier = SmallModels.GunPoint();
        using var folder = new TempFolder();

        Assert.Throws<ArgumentOutOfRangeException>(() => DataLoaders.FromDatasets(train, train, new DataLoadersOptions { MissingValues = (MissingValues)99 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Normalizer.Fit((Normalization)99, train));
        Assert.Throws<ArgumentOutOfRangeException>(() => Normalizer.FromStatistics((Normalization)99, [], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => PyTorchModels.Export(classifier, folder.Combine("w.pt"), (WeightFormat)9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeSeriesClassifier(new InceptionTime(1, 2, SmallModels.Tiny), ["a", "b"], Normalizer.Fit(Normalization.None, train), (MissingValues)99, 150, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimeSeriesClassifier(new InceptionTime(1, 2, SmallModels.Tiny), ["a", "b"], Normalizer.Fit(Normalization.None, train), MissingValues.Fail, 0, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Counterfactuals.Explain(classifier, train, train, [0], new CounterfactualOptions { Distance = (SeriesDistance)9 }));
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Should_Refuse_An_Import_Series_Length_Below_One()
    {
        using var folder = new TempFolder();
        using var classifier = SmallModels.GunPoint();
        var weights = folder.Combine("w.pt");
        PyTorchModels.Export(classifier, weights);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PyTorchModels.Import(weights, new PyTorchImportOptions { SeriesLength = -1 }));

        Assert.StartsWith("PyTorchImportOptions.SeriesLength: expected 1 to 100,000,000 steps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Write_Only_Ts_Files_Its_Reader_Reads_Back()
    {
        using var folder = new TempFolder();
        // A label with a space was written into the header's class list, which the reader splits at spaces
        var spaced = new TimeSeriesDataset("s", [1, 2, 3, 4], 2, 1, 2, ["a b", "c"]);
        Assert.Contains("class \"a b\" cannot be written as .ts", Assert.Throws<ArgumentException>(() => TsWriter.Format(spaced)).Message, StringComparison.Ordinal);

        // A missing value was written as NaN under "@missing false"; it is now the format's '?', and reads back as missing
        var missing = new TimeSeriesDataset("m", [1, float.NaN, 3, 4], 2, 1, 2, ["a", "c"]);
        var path = folder.Combine("m.ts");
        File.WriteAllText(path, TsWriter.Format(missing));
        Assert.Contains("@missing true", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Contains("1,?:a", File.ReadAllText(path), StringComparison.Ordinal);
        var read = DatasetReader.Read(path);
        Assert.Equal(1, read.MissingValueCount);
        Assert.Equal([1f, float.NaN, 3, 4], read.Values.ToArray());
    }

    private static DataLoaders TinyData()
    {
        var train = DatasetReader.Read(TestData.GunPointTrainArff);
        return DataLoaders.FromDatasets(train, train, new DataLoadersOptions { BatchSize = 16 });
    }
}
