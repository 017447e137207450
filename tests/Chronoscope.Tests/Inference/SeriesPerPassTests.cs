using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Inference;

public sealed class SeriesPerPassTests
{
    [Theory]
    [InlineData(64, 500, 32, 64)]       // FordA's shape: the batch asked for
    [InlineData(64, 150, 32, 64)]
    [InlineData(64, 100_000, 32, 2)]    // 262,144 steps / 100,000
    [InlineData(64, 1_000_000, 32, 1)]  // never fewer than one
    [InlineData(64, 10_000, 64, 13)]    // a network twice as wide: half the steps
    [InlineData(3, 1_000, 32, 3)]       // never more than asked
    public void Should_Bound_The_Series_Of_A_Pass_By_Their_Steps_And_The_Networks_Width(int requested, int length, int filters, int expected)
    {
        using var leaks = new TensorLeakCheck();
        using var network = new InceptionTime(1, 2, new InceptionTimeOptions { Depth = 1, Filters = filters });
        Assert.Equal(expected, SeriesPerPass.Bound(requested, length, network));
    }

    [Theory]
    [InlineData(nameof(MemoryPass.Prediction), 131)]      // 262,144 steps / 2,000
    [InlineData(nameof(MemoryPass.LayerGradients), 98)]   // × 6 / 8 KB a step (the block cache's rates): 196,608 / 2,000
    [InlineData(nameof(MemoryPass.InputGradients), 24)]   // × 6 / 32 KB a step: 49,152 / 2,000
    public void Should_Bound_Gradient_Passes_By_The_Memory_Their_Steps_Take(string pass, int expected)
    {
        using var leaks = new TensorLeakCheck();
        using var network = new InceptionTime(1, 2, new InceptionTimeOptions { Depth = 1 });
        Assert.Equal(expected, SeriesPerPass.Bound(256, 2_000, network, Enum.Parse<MemoryPass>(pass)));
    }

    [Fact]
    public void Should_Predict_And_Explain_Long_Series_In_Smaller_Passes_As_One_By_One()
    {
        // Given five series of 120,000 steps (two to a pass) and a classifier trained on 150
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        const int count = 5, length = 120_000;
        var random = new Random(3);
        var values = Enumerable.Range(0, count * length).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray();
        var data = new TimeSeriesDataset("Long", values, count, 1, length, null);
        Assert.Equal(2, SeriesPerPass.Bound(64, length, classifier.Model));

        // When they are predicted and explained with the default batch of 64, and one at a time
        var together = classifier.Predict(data).Probabilities.ToArray();
        var alone = classifier.Predict(data, batchSize: 1).Probabilities.ToArray();
        using var loader = classifier.CreateLoader(data);
        var maps = new Explainer(classifier).Explain(loader, [0, 1, 2, 3, 4], new ExplainOptions()).Values.ToArray();
        var mapsAlone = new Explainer(classifier).Explain(loader, [0, 1, 2, 3, 4], new ExplainOptions { BatchSize = 1 }).Values.ToArray();

        // Then the results are the same (a batch changes only the order of sums)
        Assert.All(together.Zip(alone), pair => Assert.Equal(pair.Second, pair.First, 1e-5));
        Assert.All(maps.Zip(mapsAlone), pair => Assert.Equal(pair.Second, pair.First, 1e-4));
    }
}
