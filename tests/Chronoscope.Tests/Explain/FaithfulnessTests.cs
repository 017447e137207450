using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using Xunit.Abstractions;

namespace Chronoscope.Tests.Explain;

public sealed class FaithfulnessTests(ITestOutputHelper output)
{
    [Fact]
    public void Should_Score_Tiny_Curves_As_Computed_By_Hand()
    {
        // Given one item, two steps at 25% and 50%: p0 = 0.9, E = 0.5, MoRF 0.5 0.1, LeRF 0.9 0.8, insertion 0.2 → 0.3 0.7
        var curves = new FaithfulnessCurves("m", Perturbation.Zero, [0.25, 0.5], [0.9], [0.5], [0.5, 0.1], [0.9, 0.8], [0.3, 0.7], [0.2], [0]);

        var scores = FaithfulnessScores.Of(curves);

        Assert.Equal((0.4 + 0.7) / 2, scores.Ds, 1e-12);
        Assert.Equal((1 * 0.4 + 0.125 * 0.7) / 1.125, scores.Dds, 1e-12);               // weights (2/2)³ and (1/2)³, normalised
        Assert.Equal((0.25 * (0.9 + 0.5) / 2 + 0.25 * (0.5 + 0.1) / 2) / 0.5, scores.DeletionAuc, 1e-12);
        Assert.Equal((0.25 * (0.2 + 0.3) / 2 + 0.25 * (0.3 + 0.7) / 2) / 0.5, scores.InsertionAuc, 1e-12);
        // S̃top = 1 − (0.5 − 0.5)/0.4 = 1 and 1 − (0.1 − 0.5)/0.4 = 2, clipped to 1; S̃bottom = 0 and 0.25
        Assert.Equal((0.25 * 0.5 + 0.25 * 1) / 0.5, scores.AucTop, 1e-12);
        Assert.Equal(0.25 * 0.125 / 0.5, scores.AucBottom, 1e-12);
        Assert.Equal(2 * 0.75 * 0.9375 / (0.75 + 0.9375), scores.FScore, 1e-12);
    }

    [Fact]
    public void Should_Stop_Explaining_And_Evaluating_When_Cancelled()
    {
        // Given a GunPoint model, maps of two series, and a token already cancelled
        using var classifier = SmallModels.GunPoint();
        var data = Chronoscope.Data.Formats.DatasetReader.Read(TestData.GunPointTestArff);
        var explainer = new Explainer(classifier);
        var maps = explainer.Explain(data, [0, 1], new ExplainOptions { Method = MapMethod.Saliency });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        // Then a map method, an attribution method and the curves each stop at their first batch
        Assert.Throws<OperationCanceledException>(() => explainer.Explain(data, [0, 1], new ExplainOptions { Method = MapMethod.GradCam }, cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => explainer.Explain(data, [0, 1], new ExplainOptions { Method = MapMethod.IntegratedGradients() }, cancelled.Token));
        Assert.Throws<OperationCanceledException>(() => new Faithfulness(classifier).Evaluate(data, maps, new FaithfulnessOptions(), cancelled.Token));
    }

    [Fact]
    public void Should_Weight_The_First_Steps_Most_With_Cubic_Decay()
    {
        var w = FaithfulnessScores.DecayWeights(4);

        var raw = new[] { 1.0, 27 / 64.0, 8 / 64.0, 1 / 64.0 };
        for (var i = 0; i < 4; i++)
            Assert.Equal(raw[i] / raw.Sum(), w[i], 1e-12);
    }

    [Theory]
    [InlineData(Perturbation.Zero)]
    [InlineData(Perturbation.Inverse)]
    [InlineData(Perturbation.SeriesMean)]
    public void Should_Match_Perturbing_And_Predicting_One_Series_At_A_Time(Perturbation perturbation)
    {
        // Given a random network, four series and their Saliency maps
        using var leaks = new TensorLeakCheck();
        using var classifier = new TimeSeriesClassifier(Seeded.Build(2, () => new InceptionTime(1, 2, SmallModels.Shape)), ["0", "1"],
            Normalizer.Fit(Normalization.None, SyntheticData.Create(1, 1, 20, 2, seed: 1)), MissingValues.Fail, 20, "S");
        var data = SyntheticData.Create(4, 1, 20, 2, seed: 6);
        var maps = new Explainer(classifier).Explain(data, [0, 1, 2, 3], new ExplainOptions { Method = MapMethod.Saliency, ForceScale = false });

        // When the curves are computed batched, in small passes
        var curves = new Faithfulness(classifier).Evaluate(data, maps, new FaithfulnessOptions { Perturbation = perturbation, Steps = 5, StepFraction = 0.1, PassSize = 7, BatchSize = 3 });

        // Then each MoRF / LeRF point equals the prediction on the series with its top / bottom cells replaced by hand
        for (var k = 0; k < 4; k++)
        {
            var x = data.Series(k).ToArray();
            var map = maps.Map(k).ToArray();
            var order = Enumerable.Range(0, 20).OrderByDescending(t => map[t]).ToArray();
            var (mean, max) = (x.Average(), x.Max());
            float Replace(int t) => perturbation switch { Perturbation.Zero => 0, Perturbation.Inverse => max - x[t], _ => mean };
            for (var s = 0; s < 5; s++)
            {
                var count = 2 * (s + 1);
                var top = (float[])x.Clone();
                var bottom = (float[])x.Clone();
                foreach (var t in order.Take(count))
                    top[t] = Replace(t);
                foreach (var t in Enumerable.Reverse(order).Take(count))
                    bottom[t] = Replace(t);
                var target = maps.ExplainedClasses[k];
                Assert.Equal(Predict(classifier, top, target), curves.MostRelevantFirst[k * 5 + s], 1e-5);
                Assert.Equal(Predict(classifier, bottom, target), curves.LeastRelevantFirst[k * 5 + s], 1e-5);
            }
            Assert.Equal(maps.Confidence(k), curves.Original[k], 1e-5);
        }
    }

    [Fact]
    public void Should_Give_The_Random_Control_A_Ds_Near_Zero_And_Integrated_Gradients_A_Clearly_Positive_One()
    {
        // Given the model trained on planted bumps, and 32 held-out series
        Assert.True(PlantedModel.Accuracy >= 0.95, $"accuracy {PlantedModel.Accuracy}");
        using var leaks = new TensorLeakCheck();
        var data = PlantedModel.TestSet.Data;
        var items = Enumerable.Range(0, 32).ToArray();
        var explainer = new Explainer(PlantedModel.Classifier);
        var faithfulness = new Faithfulness(PlantedModel.Classifier);
        FaithfulnessScores Score(MapMethod method) => FaithfulnessScores.Of(faithfulness.Evaluate(data,
            explainer.Explain(data, items, new ExplainOptions { Method = method, ForceScale = false, Target = MapTarget.Predicted })));

        var random = Score(MapMethod.Random);
        var ig = Score(MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = 32 }));
        output.WriteLine($"random {random}\nIG {ig}");

        // Then a ranking that knows nothing removes as much evidence first as last; IG's ranking does not
        Assert.InRange(random.Ds, -0.05, 0.05);
        Assert.True(ig.Ds > random.Ds + 0.2, $"IG {ig} vs random {random}");
        Assert.True(ig.FScore > random.FScore, $"IG {ig} vs random {random}");
        Assert.True(ig.DeletionAuc < random.DeletionAuc && ig.InsertionAuc > random.InsertionAuc, $"IG {ig} vs random {random}");
    }

    [Fact]
    public void Should_Refuse_Maps_Of_Other_Data_And_A_Missing_Reference()
    {
        using var classifier = new TimeSeriesClassifier(new InceptionTime(1, 2, SmallModels.Shape), ["0", "1"],
            Normalizer.Fit(Normalization.None, SyntheticData.Create(1, 1, 20, 2, seed: 1)), MissingValues.Fail, 20, "S");
        var data = SyntheticData.Create(2, 1, 20, 2, seed: 6);
        var maps = new Explainer(classifier).Explain(data, [0, 1], new ExplainOptions { Method = MapMethod.Random });
        var faithfulness = new Faithfulness(classifier);

        var length = Assert.Throws<ArgumentException>(() => faithfulness.Evaluate(SyntheticData.Create(2, 1, 21, 2, seed: 6), maps));
        var reference = Assert.Throws<ArgumentException>(() => faithfulness.Evaluate(data, maps, new FaithfulnessOptions { Perturbation = Perturbation.TrainingMean }));
        var steps = Assert.Throws<ArgumentOutOfRangeException>(() => faithfulness.Evaluate(data, maps, new FaithfulnessOptions { Steps = 0 }));

        Assert.Contains("the maps have 20 steps, the data's series 21", length.Message);
        Assert.Contains("needs the training data", reference.Message);
        Assert.Contains("at least 1 step", steps.Message);
    }

    private static double Predict(TimeSeriesClassifier classifier, float[] series, int target) =>
        classifier.Predict(new TimeSeriesDataset("one", series, 1, 1, series.Length, ["0"])).Probability(0, target);
}
