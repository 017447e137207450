using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Inference;

public sealed class EnsembleTests
{
    private static TimeSeriesDataset GunPointTest() => DatasetReader.Read(TestData.GunPointTestArff).Subset([0, 3, 7, 20, 41]);

    [Fact]
    public void Should_Predict_The_Mean_Of_Its_Members_Probabilities()
    {
        // Given three differently seeded networks and their ensemble
        using var leaks = new TensorLeakCheck();
        using var a = SmallModels.GunPoint(seed: 1);
        using var b = SmallModels.GunPoint(seed: 2);
        using var c = SmallModels.GunPoint(seed: 3);
        using var ensemble = TimeSeriesClassifier.Ensemble([a, b, c]);
        var data = GunPointTest();

        // When each and the ensemble predict
        var members = new[] { a, b, c }.Select(m => m.Predict(data).Probabilities.ToArray()).ToArray();
        var mean = ensemble.Predict(data);

        // Then the ensemble's probability is the members' average, entry by entry, and its prediction the argmax of that
        Assert.True(ensemble.IsEnsemble);
        Assert.Equal(3, ensemble.Members.Count);
        for (var i = 0; i < members[0].Length; i++)
            Assert.Equal((members[0][i] + members[1][i] + members[2][i]) / 3, mean.Probabilities[i], 1e-6f);
        Assert.NotEqual(members[0], members[1]); // the members differ, so the mean is not one of them
        for (var k = 0; k < data.Count; k++)
            Assert.Equal(mean.Probability(k, 1) > mean.Probability(k, 0) ? 1 : 0, mean.Predicted[k]);
    }

    [Fact]
    public void Should_Predict_The_Same_After_An_Ensemble_Is_Saved_And_Loaded()
    {
        // Given an ensemble of two networks saved to a file
        using var leaks = new TensorLeakCheck();
        using var folder = new TempFolder();
        using var a = SmallModels.GunPoint(seed: 1);
        using var b = SmallModels.GunPoint(seed: 2);
        using var ensemble = TimeSeriesClassifier.Ensemble([a, b]);
        var path = Path.Combine(folder.Path, "ensemble.chronoscope");
        ensemble.Save(path);

        // When it is loaded
        using var loaded = TimeSeriesClassifier.Load(path);

        // Then both members came back, in order, and it predicts identically
        var data = GunPointTest();
        Assert.Equal(2, loaded.Members.Count);
        Assert.Equal(ensemble.Predict(data).Probabilities.ToArray(), loaded.Predict(data).Probabilities.ToArray());
        using var second = Member(loaded, 1);
        Assert.Equal(b.Predict(data).Probabilities.ToArray(), second.Predict(data).Probabilities.ToArray());
    }

    [Fact]
    public void Should_Refuse_An_Ensemble_File_Cut_Inside_Its_Second_Network()
    {
        using var folder = new TempFolder();
        using var a = SmallModels.GunPoint(seed: 1);
        using var b = SmallModels.GunPoint(seed: 2);
        using var ensemble = TimeSeriesClassifier.Ensemble([a, b]);
        var path = Path.Combine(folder.Path, "ensemble.chronoscope");
        ensemble.Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 1000)]);

        var error = Assert.Throws<ModelFileException>(() => TimeSeriesClassifier.Load(path));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Members_Trained_On_Different_Classes()
    {
        using var a = SmallModels.GunPoint(seed: 1);
        using var other = new TimeSeriesClassifier(Seeded.Build(2, () => new InceptionTime(1, 2, SmallModels.Shape)), ["Gun", "Point"], a.Normalizer, a.MissingValues, 150, "GunPoint");

        var error = Assert.Throws<ArgumentException>(() => TimeSeriesClassifier.Ensemble([a, other]));

        Assert.Contains("share classes", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Methods => ["GRAD-CAM", "CAM", "Integrated Gradients"];

    private static MapMethod MethodNamed(string name) => name == "Integrated Gradients" ? MapMethod.IntegratedGradients() : MapMethod.BuiltIn.Single(m => m.Name == name);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Should_Explain_An_Ensemble_With_The_Mean_Of_Its_Members_Maps_For_The_Ensembles_Class(string methodName)
    {
        // Given an ensemble of three networks and a map method
        using var leaks = new TensorLeakCheck();
        using var a = SmallModels.GunPoint(seed: 1);
        using var b = SmallModels.GunPoint(seed: 2);
        using var c = SmallModels.GunPoint(seed: 3);
        using var ensemble = TimeSeriesClassifier.Ensemble([a, b, c]);
        var data = GunPointTest();
        var items = Enumerable.Range(0, data.Count).ToArray();
        var method = MethodNamed(methodName);

        // When the ensemble explains its predictions, and each member explains the ensemble's predicted class
        var maps = new Explainer(ensemble).Explain(data, items, new ExplainOptions { Method = method, Target = MapTarget.Predicted, ForceScale = false });
        var predicted = ensemble.Predict(data).Predicted;
        var perMember = new[] { a, b, c }.Select(m => items.Select(k =>
            new Explainer(m).Explain(data, [k], new ExplainOptions { Method = method, Target = MapTarget.Class(predicted[k]), ForceScale = false }).Map(0).ToArray()).ToArray()).ToArray();

        // Then each raw map is the members' mean, its spread their population standard deviation, for the ensemble's class
        Assert.Equal(3, maps.MemberCount);
        Assert.Equal(predicted, maps.ExplainedClasses);
        for (var k = 0; k < items.Length; k++)
        {
            var map = maps.Map(k);
            var scale = perMember.SelectMany(m => m[k]).Max(Math.Abs) + 1e-12f;
            for (var t = 0; t < map.Length; t++)
            {
                var values = perMember.Select(m => (double)m[k][t]).ToArray();
                var mean = values.Average();
                var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
                Assert.True(Math.Abs(map[t] - mean) <= 1e-4 * scale, $"item {k} step {t}: {map[t]} vs mean {mean}");
                Assert.True(Math.Abs(maps.MemberSpread![k * map.Length + t] - sd) <= 1e-4 * scale, $"item {k} step {t}: spread {maps.MemberSpread[k * map.Length + t]} vs {sd}");
            }
        }
    }

    [Fact]
    public void Should_Have_No_Member_Spread_For_One_Network()
    {
        using var a = SmallModels.GunPoint(seed: 1);

        var maps = new Explainer(a).Explain(GunPointTest(), [0, 1]);

        Assert.Equal(1, maps.MemberCount);
        Assert.Null(maps.MemberSpread);
    }

    /// <summary>Member <paramref name="index"/> of an ensemble as a classifier of its own (a copy).</summary>
    private static TimeSeriesClassifier Member(TimeSeriesClassifier ensemble, int index)
    {
        var network = ensemble.Members[index];
        var copy = new InceptionTime(network.InputChannels, network.ClassCount, network.Options);
        copy.load_state_dict(network.state_dict());
        copy.eval();
        return new TimeSeriesClassifier(copy, ensemble.Classes, ensemble.Normalizer, ensemble.MissingValues, ensemble.SeriesLength, ensemble.DatasetName);
    }
}
