using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;

namespace Chronoscope.Tests.Explain;

/// <summary>A small InceptionTime trained once (a few seconds) to tell bumps from noise.</summary>
public sealed class BumpModel : IDisposable
{
    private readonly DataLoaders _data;
    private readonly Learner _learner;

    public BumpModel()
    {
        (Train, TrainCentres) = PlantedBumps.Create(120, seed: 1);
        (Test, TestCentres) = PlantedBumps.Create(40, seed: 2);
        _data = DataLoaders.FromDatasets(Train, Test, new DataLoadersOptions { BatchSize = 32 });
        _learner = Learner.Create(_data, new LearnerOptions { Model = SmallModels.Shape, BatchNormCalibration = BatchNormCalibration.Always });
        Fit = _learner.FitOneCycle(8, 3e-3);
    }

    public TimeSeriesDataset Train { get; }

    public int[] TrainCentres { get; }

    public TimeSeriesDataset Test { get; }

    public int[] TestCentres { get; }

    public FitResult Fit { get; }

    public TimeSeriesClassifier Classifier => _learner.Classifier;

    public int Bump => Classifier.Classes.ToList().IndexOf("bump");

    public int Flat => Classifier.Classes.ToList().IndexOf("flat");

    public void Dispose()
    {
        _learner.Dispose();
        _data.Dispose();
    }
}

public sealed class CounterfactualsTests(BumpModel model) : IClassFixture<BumpModel>
{
    [Fact]
    public void Should_Copy_A_Window_That_Overlaps_The_Bump_And_Flips_The_Prediction()
    {
        // Given a model that tells bumps from noise
        Assert.True(model.Fit.Last!["accuracy"] >= 0.95, $"accuracy {model.Fit.Last["accuracy"]}");
        using var leaks = new TensorLeakCheck();

        // When every test series gets its counterfactual (flat -> bump and bump -> flat)
        var results = Counterfactuals.Explain(model.Classifier, model.Train, model.Test);

        // Then each is found, is predicted as its target (checked again by a separate prediction), and its window covers
        // part of a bump: the neighbour's bump that is copied in, or the query's own bump that is copied over
        var again = model.Classifier.Predict(new TimeSeriesDataset("again", [.. results.Items.SelectMany(c => c.Values!)], results.Items.Count, 1, PlantedBumps.Length, null));
        for (var q = 0; q < results.Items.Count; q++)
        {
            var c = results.Items[q];
            Assert.True(c.Found, $"item {q}: {c.Outcome}");
            Assert.NotEqual(c.Predicted, c.Target);
            Assert.Equal(c.Target, again.Predicted[q]);
            Assert.True(again.Probability(q, c.Target) >= 0.5);
            Assert.Equal(again.Probability(q, c.Target), c.ProbabilitiesAfter![c.Target], 4);
            Assert.True(c.ProbabilitiesBefore[c.Target] < 0.5);
            var centre = c.Target == model.Bump ? model.TrainCentres[c.Neighbour] : model.TestCentres[q];
            var (first, last) = PlantedBumps.Extent(centre);
            Assert.True(c.WindowStart <= last && c.WindowStart + c.WindowLength - 1 >= first,
                $"item {q} ({model.Test.Labels![q]}): window {c.WindowStart}+{c.WindowLength}, bump {first}..{last}");
            // Outside the window the query is untouched; inside it is the neighbour
            var query = model.Test.Series(q);
            var neighbour = model.Train.Series(c.Neighbour);
            for (var t = 0; t < PlantedBumps.Length; t++)
                Assert.Equal(t >= c.WindowStart && t < c.WindowStart + c.WindowLength ? neighbour[t] : query[t], c.Values![t]);
            Assert.Equal((double)c.WindowLength / PlantedBumps.Length, c.ChangedShare, 12);
        }
        // Most windows are small: a bump is a few steps wide
        Assert.True(results.Items.Average(c => c.ChangedShare) < 0.5, $"mean changed share {results.Items.Average(c => c.ChangedShare)}");
    }

    [Fact]
    public void Should_Report_The_Measures_Of_Each_Counterfactual()
    {
        using var leaks = new TensorLeakCheck();
        var results = Counterfactuals.Explain(model.Classifier, model.Train, model.Test, [0, 1], new CounterfactualOptions { Distance = SeriesDistance.Dtw, Band = 3 });
        Assert.Equal(3, results.Band);
        foreach (var c in results.Items)
        {
            var query = model.Test.Series(c.Item);
            var values = c.Values!;
            Assert.Equal(query.ToArray().Zip(values, (a, b) => Math.Abs((double)a - b)).Sum(), c.L1, 6);
            Assert.Equal(Math.Sqrt(query.ToArray().Zip(values, (a, b) => Math.Pow((double)a - b, 2)).Sum()), c.L2, 6);
            Assert.Equal(DynamicTimeWarping.Distance(query, values, band: 3), c.Dtw, 9);
            Assert.Equal(DynamicTimeWarping.Distance(values, model.Train.Series(c.Neighbour), band: 3), c.DistanceToNeighbour, 9);
            Assert.Equal(DynamicTimeWarping.Distance(query, model.Train.Series(c.Neighbour), band: 3), c.NeighbourDistance, 9);
            Assert.True(c.Dtw <= c.L2 + 1e-9);
        }
    }

    [Theory]
    [InlineData(SeriesDistance.Euclidean, 0)]
    [InlineData(SeriesDistance.Dtw, 4)]
    [InlineData(SeriesDistance.Dtw, 64)]
    public void Should_Find_The_True_Nearest_Unlike_Neighbour(SeriesDistance distance, int band)
    {
        // Given the training series the model classifies as their own label
        using var leaks = new TensorLeakCheck();
        var train = model.Classifier.Predict(model.Train);

        // When the neighbours of every test series are sought
        var results = Counterfactuals.Explain(model.Classifier, model.Train, model.Test, new CounterfactualOptions { Distance = distance, Band = band });

        // Then each is the closest, by brute force, of the training series labelled and predicted as its target
        foreach (var c in results.Items)
        {
            var query = model.Test.Series(c.Item).ToArray();
            var (best, bestDistance) = (-1, double.PositiveInfinity);
            for (var i = 0; i < model.Train.Count; i++)
            {
                if (model.Train.LabelIndices![i] != c.Target || train.Predicted[i] != c.Target)
                    continue;
                var d = distance == SeriesDistance.Euclidean
                    ? Math.Sqrt(query.Zip(model.Train.Series(i).ToArray(), (a, b) => Math.Pow((double)a - b, 2)).Sum())
                    : DynamicTimeWarping.Distance(query, model.Train.Series(i), band: band);
                if (d < bestDistance)
                    (best, bestDistance) = (i, d);
            }
            Assert.Equal(best, c.Neighbour);
            Assert.Equal(bestDistance, c.NeighbourDistance, 9);
        }
    }

    [Theory]
    [InlineData(SeriesDistance.Euclidean)]
    [InlineData(SeriesDistance.Dtw)]
    public void Should_Give_The_Same_Answers_Batched_And_One_By_One(SeriesDistance distance)
    {
        using var leaks = new TensorLeakCheck();
        var options = new CounterfactualOptions { Distance = distance, WindowStep = 2 };
        int[] items = [0, 1, 2, 3, 4, 5];
        var batched = Counterfactuals.Explain(model.Classifier, model.Train, model.Test, items, options);
        foreach (var item in items)
        {
            var single = Counterfactuals.Explain(model.Classifier, model.Train, model.Test, [item], options).Items[0];
            var together = batched.Items[item];
            Assert.Equal(item, together.Item);
            Assert.Equal(single.Outcome, together.Outcome);
            Assert.Equal(single.Neighbour, together.Neighbour);
            Assert.Equal(single.WindowStart, together.WindowStart);
            Assert.Equal(single.WindowLength, together.WindowLength);
            Assert.Equal(single.Values, together.Values);
            Assert.Equal(single.ProbabilitiesAfter![single.Target], together.ProbabilitiesAfter![together.Target], 4);
            Assert.Equal(single.L2, together.L2, 9);
            Assert.Equal(0, single.WindowLength % 2 == 1 ? 1 : 0); // WindowStep 2 tries 2, 4, ...
        }
    }

    [Fact]
    public void Should_Say_No_Counterfactual_When_Even_The_Whole_Neighbour_Is_Not_Sure_Enough()
    {
        // Given a threshold of certainty the model (trained with label smoothing) never reaches
        using var leaks = new TensorLeakCheck();
        var train = model.Classifier.Predict(model.Train);
        Assert.True(Enumerable.Range(0, train.Count).All(i => train.Confidence(i) < 1f));

        var results = Counterfactuals.Explain(model.Classifier, model.Train, model.Test, [0, 1], new CounterfactualOptions { Threshold = 1.0 });

        // Then it is an answer: not flipped, with the neighbour's own probabilities, no series and no measures
        foreach (var c in results.Items)
        {
            Assert.Equal(CounterfactualOutcome.NotFlipped, c.Outcome);
            Assert.False(c.Found);
            Assert.Null(c.Values);
            Assert.True(c.Neighbour >= 0);
            Assert.Equal(train.Probability(c.Neighbour, c.Target), c.ProbabilitiesAfter![c.Target], 4);
            Assert.True(double.IsNaN(c.L2));
        }
        Assert.Equal(0, results.FoundCount);
    }

    [Fact]
    public void Should_Say_No_Neighbour_When_No_Training_Series_Is_Of_The_Target_Class()
    {
        // Given training data of flat series only, and a flat query aiming at a bump
        using var leaks = new TensorLeakCheck();
        var flats = model.Train.Subset([.. Enumerable.Range(0, model.Train.Count).Where(i => model.Train.Labels![i] == "flat")]);

        var result = Counterfactuals.Explain(model.Classifier, flats, model.Test, [1]).Items[0];

        Assert.Equal(CounterfactualOutcome.NoNeighbour, result.Outcome);
        Assert.Equal(-1, result.Neighbour);
        Assert.Null(result.ProbabilitiesAfter);
        Assert.Equal(model.Bump, result.Target);
    }

    [Fact]
    public void Should_Refuse_A_Target_That_Is_Already_The_Prediction_Or_Not_A_Class()
    {
        using var leaks = new TensorLeakCheck();
        var predicted = model.Classifier.Predict(model.Test).Predicted[0];
        var error = Assert.Throws<CounterfactualException>(() =>
            Counterfactuals.Explain(model.Classifier, model.Train, model.Test, [0], new CounterfactualOptions { Target = predicted }));
        Assert.Contains("item 0 is already predicted as class", error.Message);
        Assert.Throws<CounterfactualException>(() =>
            Counterfactuals.Explain(model.Classifier, model.Train, model.Test, [0], new CounterfactualOptions { Target = 2 }));
    }

    [Fact]
    public void Should_Refuse_Training_Data_Whose_Length_Or_Channels_Differ_From_The_Models()
    {
        using var leaks = new TensorLeakCheck();
        var shorter = new TimeSeriesDataset("Short", new float[4 * 32], 4, 1, 32, ["bump", "flat", "bump", "flat"]);
        var twoChannels = new TimeSeriesDataset("Two", new float[4 * 2 * 64], 4, 2, 64, ["bump", "flat", "bump", "flat"]);
        var unlabelled = new TimeSeriesDataset("None", new float[4 * 64], 4, 1, 64, null);

        Assert.Contains("length 32", Assert.Throws<DatasetFormatException>(() => Counterfactuals.Explain(model.Classifier, shorter, model.Test)).Message);
        Assert.Contains("2 channels", Assert.Throws<DatasetFormatException>(() => Counterfactuals.Explain(model.Classifier, twoChannels, model.Test)).Message);
        Assert.Contains("no class labels", Assert.Throws<DatasetFormatException>(() => Counterfactuals.Explain(model.Classifier, unlabelled, model.Test)).Message);
        Assert.Throws<DatasetFormatException>(() => Counterfactuals.Explain(model.Classifier, model.Train, shorter));
    }
}
