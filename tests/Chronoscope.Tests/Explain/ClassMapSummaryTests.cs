using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Explain;

public sealed class ClassMapSummaryTests
{
    [Fact]
    public void Should_Equal_A_Direct_Mean_And_Deviation_Over_All_Maps_When_Summarised_Batch_By_Batch()
    {
        // Given GunPoint's 150 test series and a small classifier
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var data = DatasetReader.Read(TestData.GunPointTestArff);
        using var loader = classifier.CreateLoader(data, batchSize: 64);
        var explainer = new Explainer(classifier);

        // When the summary is built 7 series at a time (22 batches, the last of 3), reporting progress
        var done = new List<int>();
        var summary = ClassMapSummary.Compute(explainer, loader, new ExplainOptions { BatchSize = 7 }, new SynchronousProgress(done.Add));

        // Then it equals the two-pass mean and population deviation of the maps of one pass over all 150 at once
        var all = explainer.Explain(loader, [.. Enumerable.Range(0, data.Count)], new ExplainOptions { BatchSize = 150 });
        Assert.Equal(22, done.Count);
        Assert.Equal(150, done[^1]);
        Assert.Equal(150, summary.Total);
        Assert.Equal(("GRAD-CAM - mean", true, 0.0, 1.0), (summary.Title, summary.Scaled, summary.Low, summary.High));
        for (var c = 0; c < 2; c++)
        {
            var members = Enumerable.Range(0, data.Count).Where(i => data.LabelIndices![i] == c).ToArray();
            Assert.Equal(members.Length, summary.Count(c));
            var mean = summary.MeanMap(c);
            var spread = summary.MapStandardDeviation(c);
            var meanSeries = summary.MeanSeries(c);
            var seriesSpread = summary.SeriesStandardDeviation(c);
            for (var t = 0; t < data.Length; t++)
            {
                var maps = members.Select(i => (double)all.Map(i)[t]).ToArray();
                var expected = maps.Average();
                Assert.Equal(expected, mean[t], 1e-5);
                Assert.Equal(Math.Sqrt(maps.Average(v => (v - expected) * (v - expected))), spread[t], 1e-5);
                var values = members.Select(i => (double)data.Series(i)[t]).ToArray();
                var expectedSeries = values.Average();
                Assert.Equal(expectedSeries, meanSeries[t], 1e-9);
                Assert.Equal(Math.Sqrt(values.Average(v => (v - expectedSeries) * (v - expectedSeries))), seriesSpread[t], 1e-9);
            }
        }
        // the two classes differ: the summary did not pool them
        Assert.NotEqual(summary.MeanSeries(0)[60], summary.MeanSeries(1)[60], 3);
    }

    [Fact]
    public void Should_Count_A_Short_Series_Only_At_Its_Own_Steps()
    {
        // Given three series of class 1, the second only 4 of 6 steps long (padding after it)
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        float[] values = [1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 0, 0, 3, 3, 3, 3, 3, 3];
        var data = new TimeSeriesDataset("Short", values, 3, 1, 6, ["1", "1", "1"], ["1", "2"], [6, 4, 6]);
        using var loader = classifier.CreateLoader(data);
        var explainer = new Explainer(classifier);

        // When they are summarised
        var summary = ClassMapSummary.Compute(explainer, loader);
        var maps = explainer.Explain(loader, [0, 1, 2]);

        // Then steps 0-3 average all three, steps 4 and 5 only the two long ones; class 2 has nothing
        var mean = summary.MeanSeries(0);
        Assert.Equal((1 + 10 + 3) / 3.0, mean[0], 12);
        Assert.Equal((5 + 3) / 2.0, mean[4], 12);
        Assert.Equal((maps.Map(0)[5] + maps.Map(2)[5]) / 2.0, summary.MeanMap(0)[5], 6);
        Assert.Equal((maps.Map(0)[1] + maps.Map(1)[1] + maps.Map(2)[1]) / 3.0, summary.MeanMap(0)[1], 6);
        Assert.Equal(0, summary.Count(1));
        Assert.All(summary.MeanMap(1), v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void Should_Refuse_To_Mix_Kinds_Of_Maps()
    {
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var data = DatasetReader.Read(TestData.GunPointTestArff);
        using var loader = classifier.CreateLoader(data);
        var explainer = new Explainer(classifier);
        var summary = new ClassMapSummary(classifier.Classes, 1, data.Length);
        summary.Add(explainer.Explain(loader, [0, 1]));

        var error = Assert.Throws<ArgumentException>(() => summary.Add(explainer.Explain(loader, [2], new ExplainOptions { Method = MapMethod.HiResCam })));

        Assert.Contains("the summary holds GRAD-CAM - mean (scaled) maps, these are HiResCAM (scaled)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, summary.Total);
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
