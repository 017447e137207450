using Chronoscope.Explain;
using Chronoscope.Tests.TestSupport;
using Xunit.Abstractions;

namespace Chronoscope.Tests.Explain;

public sealed class LocalisationTests(ITestOutputHelper output)
{
    [Fact]
    public void Should_Score_A_Map_Against_Its_Mask_By_Hand()
    {
        // Given |map| = 1 4 0 3 2 with steps 1 and 2 planted
        float[] map = [1, -4, 0, 3, 2];
        bool[] planted = [false, true, true, false, false];

        var (mass, precision) = Localisation.ScoreItem(map, planted);

        // Then the mass inside is (4 + 0) / 10, and of the top 2 (4, 3) one is planted
        Assert.Equal(0.4, mass, 1e-12);
        Assert.Equal(0.5, precision, 1e-12);
    }

    [Fact]
    public void Should_Find_The_Planted_Pattern_With_Integrated_Gradients_And_Occlusion_But_Not_At_Random()
    {
        // Given a small model trained on bumps planted in channel 1 of 3
        Assert.True(PlantedModel.Accuracy >= 0.95, $"the model did not learn the planted pattern: accuracy {PlantedModel.Accuracy}");
        using var leaks = new TensorLeakCheck();
        var test = PlantedModel.TestSet;
        var explainer = new Explainer(PlantedModel.Classifier);
        var items = Enumerable.Range(0, 32).ToArray();
        LocalisationScore Score(MapMethod method) =>
            Localisation.Score(explainer.Explain(test.Data, items, new ExplainOptions { Method = method, ForceScale = false, Reference = PlantedModel.TrainSet.Data, Target = MapTarget.Label }), test);

        // When IG, Occlusion and the random control explain 32 held-out series
        var ig = Score(MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = 32 }));
        var occlusion = Score(MapMethod.Occlusion(new OcclusionOptions { Window = 4, Stride = 2 }));
        var random = Score(MapMethod.Random);
        output.WriteLine($"IG {ig}\nOcclusion {occlusion}\nRandom {random}");

        // Then chance is 8 of 180 cells (4.4%): the random control sits there; IG and Occlusion put several times
        // chance's mass on the pattern (not most of it: 172 noise cells each keep a little), their top-k cells are
        // mostly or largely planted, and per-channel attribution lands on channel 1, where the pattern is
        Assert.InRange(random.MassInside, 0.02, 0.08);
        Assert.InRange(random.TopKPrecision, 0, 0.1);
        foreach (var (name, score) in new[] { ("IG", ig), ("Occlusion", occlusion) })
        {
            Assert.True(score.MassInside > 4 * random.MassInside, $"{name}: {score} vs random {random}");
            Assert.True(score.TopKPrecision > 0.35, $"{name}: {score}");
            Assert.True(score.TopKPrecision > 8 * random.TopKPrecision, $"{name}: {score} vs random {random}");
            Assert.True(score.PlantedChannelFound >= 0.95, $"{name}: {score}");
        }
        Assert.True(random.PlantedChannelFound < 0.7, $"random: {random}");
    }

    [Fact]
    public void Should_Take_Channel_Shares_On_Raw_Attributions_Even_When_Maps_Are_Scaled()
    {
        // Given the planted model's Integrated Gradients maps, raw and min-max scaled
        using var leaks = new TensorLeakCheck();
        var explainer = new Explainer(PlantedModel.Classifier);
        var options = new ExplainOptions { Method = MapMethod.IntegratedGradients(new IntegratedGradientsOptions { Steps = 8 }), ForceScale = false };
        var raw = explainer.Explain(PlantedModel.TestSet.Data, [0, 1], options);
        var scaled = explainer.Explain(PlantedModel.TestSet.Data, [0, 1], options with { ForceScale = true });

        // Then the shares are those of |raw| per channel in both, summing to 1
        for (var k = 0; k < 2; k++)
        {
            var total = raw.Map(k).ToArray().Sum(v => Math.Abs((double)v));
            var expected = Enumerable.Range(0, 3).Select(c => raw.Map(k, c).ToArray().Sum(v => Math.Abs((double)v)) / total).ToArray();
            Assert.Equal(expected, ChannelImportance.Shares(raw, k), (a, b) => Math.Abs(a - b) < 1e-9);
            Assert.Equal(expected, ChannelImportance.Shares(scaled, k), (a, b) => Math.Abs(a - b) < 1e-9);
        }
    }
}
