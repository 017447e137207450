using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Explain;

/// <summary>The maps carry the series they explain, so a picture needs no second copy of the data.</summary>
public sealed class ActivationMapsTests
{
    [Theory]
    [InlineData("gradcam")]
    [InlineData("saliency")]
    public void Should_Carry_Each_Explained_Series_As_Read_Cut_To_Its_True_Length(string method)
    {
        // Given five two-channel series of up to 40 steps, two of them shorter (padded after their end), and a model
        // that z-scores its inputs, so what it sees differs from the values as read
        using var leaks = new TensorLeakCheck();
        const int count = 5, channels = 2, length = 40;
        int[] lengths = [40, 25, 40, 33, 40];
        var random = new Random(3);
        var values = new float[count * channels * length];
        for (var i = 0; i < count; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                for (var t = 0; t < lengths[i]; t++)
                    values[(i * channels + c) * length + t] = (float)(5 + 3 * random.NextDouble());
            }
        }
        var data = new TimeSeriesDataset("Two", values, count, channels, length, ["a", "b", "a", "b", "a"], lengths: lengths);
        using var classifier = new TimeSeriesClassifier(Seeded.Build(5, () => new InceptionTime(channels, 2, SmallModels.Shape)), ["a", "b"],
            Normalizer.Fit(Normalization.PerChannel, data), MissingValues.Interpolate, length, "Two");

        // When items 4, 1 and 3 are explained two at a time (so the series of a second batch must land in their place too)
        var chosen = method == "gradcam" ? MapMethod.GradCam : MapMethod.Saliency;
        var maps = new Explainer(classifier).Explain(data, [4, 1, 3], new ExplainOptions { Method = chosen, BatchSize = 2 });

        // Then map k carries series Items[k] exactly as read, channel after channel, up to its own length
        Assert.Equal(channels, maps.SeriesChannels);
        Assert.Equal(chosen.IsInputAttribution ? channels : 1, maps.Channels);
        Assert.Equal([40, 25, 33], Enumerable.Range(0, 3).Select(maps.SeriesLength));
        for (var k = 0; k < maps.Count; k++)
        {
            var item = maps.Items[k];
            var expected = Enumerable.Range(0, channels)
                .SelectMany(c => values.AsSpan((item * channels + c) * length, lengths[item]).ToArray())
                .ToArray();
            Assert.Equal(expected, maps.Series(k).ToArray());
        }
    }
}
