using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Data;

public sealed class ChannelNamesTests
{
    private static readonly string[] Motions = ["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ"];

    [Theory]
    [InlineData("BasicMotions_TEST.ts")]
    [InlineData("BasicMotions_TEST.arff")]
    public void Should_Read_No_Channel_Names_From_The_Archives_Formats(string file)
    {
        // Given BasicMotions as .ts (no names in the format) and as ARFF (whose inner attributes att0..att99 are time steps)
        var data = DatasetReader.Read(TestData.File("BasicMotions", file));

        // Then the six channels are unnamed, not named after time steps
        Assert.Equal(6, data.Channels);
        Assert.Null(data.ChannelNames);
    }

    [Fact]
    public void Should_Keep_Names_Through_Subset_And_Pooling_Of_Alike_Named_Parts_Only()
    {
        // Given BasicMotions with named channels
        var data = DatasetReader.Read(TestData.File("BasicMotions", "BasicMotions_TEST.ts"));
        var named = data.WithChannelNames(Motions);

        // Then the names stay on a subset and on a pool of parts named alike, not on a pool with an unnamed part,
        // and the values are the same array's
        Assert.Equal(Motions, named.ChannelNames);
        Assert.Equal(Motions, named.Subset([3, 1]).ChannelNames);
        Assert.Equal(Motions, TimeSeriesDataset.Concatenate("pool", [named, named.Subset([0])]).ChannelNames);
        Assert.Null(TimeSeriesDataset.Concatenate("pool", [named, data]).ChannelNames);
        Assert.True(named.Values.SequenceEqual(data.Values));
        Assert.Equal(data.Labels, named.Labels);
        Assert.Null(named.WithChannelNames(null).ChannelNames);
    }

    [Fact]
    public void Should_Refuse_Names_That_Are_Not_One_Per_Channel()
    {
        var data = DatasetReader.Read(TestData.File("BasicMotions", "BasicMotions_TEST.ts"));

        var count = Assert.Throws<ArgumentException>(() => data.WithChannelNames(["a", "b"]));
        var empty = Assert.Throws<ArgumentException>(() => data.WithChannelNames(["a", "b", " ", "d", "e", "f"]));

        Assert.StartsWith("expected 6 channel names, one per channel, found 2", count.Message, StringComparison.Ordinal);
        Assert.StartsWith("expected a name for every channel, found an empty one", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Carry_The_Datas_Channel_Names_Onto_The_Maps()
    {
        // Given GunPoint's one channel named, and unnamed
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var data = DatasetReader.Read(TestData.GunPointTestArff);
        using var named = classifier.CreateLoader(data.WithChannelNames(["hand x"]));
        using var unnamed = classifier.CreateLoader(data);
        var explainer = new Explainer(classifier);

        // Then the maps of both the CAM family and an input attribution carry the names, or none
        Assert.Equal(["hand x"], explainer.Explain(named, [0, 1]).ChannelNames);
        Assert.Equal(["hand x"], explainer.Explain(named, [0], new ExplainOptions { Method = MapMethod.Saliency }).ChannelNames);
        Assert.Null(explainer.Explain(unnamed, [0]).ChannelNames);
    }
}
