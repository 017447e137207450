using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;
using TorchSharp;

namespace Chronoscope.Tests.Data;

public sealed class DataLoadersTests
{
    [Fact]
    public void Should_Name_A_Missing_Label_When_A_Dataset_Is_Made()
    {
        // A null among the labels would otherwise surface as a dictionary's "key" error while the classes are counted
        var error = Assert.Throws<ArgumentException>(() => new TimeSeriesDataset("d", new float[6], 3, 1, 2, ["a", "b", null!]));

        Assert.StartsWith("label 2 is null: give every series a label, or pass null for unlabelled data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Split_Like_fastais_RandomSplitter()
    {
        // Given PyTorch's torch.manual_seed(42); torch.randperm(200) (printed by PyTorch 1.13.1):
        // [142, 56, 198, 77, 50, 55, 4, 69, 174, 47, 88, 114, ...], positions 40..43 = [66, 176, 14, 106]
        var (train, valid) = DataLoaders.SplitIndices(200, 0.2, 42);

        // Then the first 20% validate and the rest train, in permutation order
        Assert.Equal(40, valid.Length);
        Assert.Equal(160, train.Length);
        Assert.Equal([142, 56, 198, 77, 50, 55, 4, 69, 174, 47, 88, 114], valid[..12]);
        Assert.Equal([66, 176, 14, 106], train[..4]);
        Assert.Equal(Enumerable.Range(0, 200), train.Concat(valid).Order());
    }

    [Fact]
    public void Should_Honour_ValidPercent()
    {
        var (train, valid) = DataLoaders.SplitIndices(200, 0.3, 42);

        Assert.Equal(60, valid.Length);
        Assert.Equal(140, train.Length);
    }

    [Theory]
    [InlineData(160, 64, 2)] // pooled GunPoint: the incomplete batch of 32 is dropped
    [InlineData(3600, 64, 56)]
    [InlineData(50, 64, 1)] // GunPoint's official split: the only batch is kept
    [InlineData(128, 64, 2)]
    public void Should_Drop_The_Last_Incomplete_Training_Batch_Unless_It_Is_The_Only_One(int count, int batchSize, int expected)
    {
        using var leaks = new TensorLeakCheck();
        using var loaders = DataLoaders.FromDatasets(
            SyntheticData.Create(count, 1, 8, 2, 1), SyntheticData.Create(70, 1, 8, 2, 2),
            new DataLoadersOptions { BatchSize = batchSize });

        Assert.Equal(expected, loaders.Train.BatchCount);
        Assert.Equal(expected, loaders.Train.BatchIndices(0).Count);
        Assert.All(loaders.Train.BatchIndices(0), b => Assert.Equal(Math.Min(count, batchSize), b.Length));
        Assert.Equal(2, loaders.Valid.BatchCount); // validation keeps every series: 64 + 6
        Assert.Equal(70, loaders.Valid.BatchIndices(0).Sum(b => b.Length));
    }

    [Fact]
    public void Should_Shuffle_Each_Epoch_Differently_And_Reproducibly()
    {
        using var leaks = new TensorLeakCheck();
        var data = SyntheticData.Create(100, 1, 4, 2, 1);
        using var first = DataLoaders.FromDatasets(data, data, new DataLoadersOptions { BatchSize = 10, ShuffleSeed = 7 });
        using var second = DataLoaders.FromDatasets(data, data, new DataLoadersOptions { BatchSize = 10, ShuffleSeed = 7 });

        var epoch0 = first.Train.BatchIndices(0).SelectMany(b => b).ToArray();
        var epoch1 = first.Train.BatchIndices(1).SelectMany(b => b).ToArray();

        Assert.Equal(epoch0, second.Train.BatchIndices(0).SelectMany(b => b));
        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(Enumerable.Range(0, 100), epoch0.Order());
        Assert.NotEqual(Enumerable.Range(0, 100), epoch0);
        Assert.Equal(Enumerable.Range(0, 100), first.Valid.BatchIndices(0).SelectMany(b => b)); // validation in order
    }

    [Fact]
    public void Should_Return_Exactly_The_Requested_Items()
    {
        // Given 5 labelled series whose values are their index
        using var leaks = new TensorLeakCheck();
        var values = Enumerable.Range(0, 5).SelectMany(i => Enumerable.Repeat((float)i, 3)).ToArray();
        var data = new TimeSeriesDataset("D", values, 5, 1, 3, ["a", "b", "a", "b", "a"]);
        using var loaders = DataLoaders.FromDatasets(data, data);
        using var scope = torch.NewDisposeScope();

        // When items 4, 0, 3 are asked for (the Python helper kept only the first two)
        using var batch = loaders.Train.GetBatch([4, 0, 3]);

        // Then the batch holds those three, in that order, with their class indices
        Assert.Equal(new long[] { 3, 1, 3 }, batch.Inputs.shape);
        Assert.Equal([4f, 4f, 4f, 0f, 0f, 0f, 3f, 3f, 3f], batch.Inputs.data<float>().ToArray());
        Assert.Equal([0L, 0L, 1L], batch.Targets!.data<long>().ToArray());
        Assert.Equal([4, 0, 3], batch.Indices);
    }

    [Fact]
    public void Should_Leave_Nothing_Behind_When_A_Batch_Is_Disposed_Outside_A_Scope()
    {
        // Given loaders and no dispose scope: the batch alone owns its tensors
        using var loaders = DataLoaders.FromDatasets(SyntheticData.Create(8, 2, 5, 2, 1), SyntheticData.Create(4, 2, 5, 2, 2));
        using var leaks = new TensorLeakCheck();

        using (var batch = loaders.Train.GetBatch([1, 2, 3]))
            Assert.Equal(new long[] { 3, 2, 5 }, batch.Inputs.shape);
    }

    [Fact]
    public void Should_Normalize_Univariate_Series_Per_Sample_Without_NaN()
    {
        // Given a univariate series 1, 2, 3, 4 (the Python package's batch normalize reduced over the channel axis
        // and gave 0/0 = NaN on univariate data)
        using var leaks = new TensorLeakCheck();
        var data = new TimeSeriesDataset("D", [1f, 2f, 3f, 4f], 1, 1, 4, ["x"]);
        using var loaders = DataLoaders.FromDatasets(data, data, new DataLoadersOptions { Normalization = Normalization.PerSample });
        using var scope = torch.NewDisposeScope();

        var x = loaders.Valid.OneBatch().Inputs.data<float>().ToArray();

        // Then it is (x - 2.5) / sqrt(1.25) over its own time steps
        var deviation = Math.Sqrt(1.25);
        Assert.Equal([(float)(-1.5 / deviation), (float)(-0.5 / deviation), (float)(0.5 / deviation), (float)(1.5 / deviation)], x);
    }

    [Fact]
    public void Should_Fit_Dataset_Statistics_On_The_Training_Part_Only()
    {
        // Given two channels in training (ch0: 0, 2; ch1: 10, 10 — constant) and a validation series
        using var leaks = new TensorLeakCheck();
        var train = new TimeSeriesDataset("D", [0f, 2f, 10f, 10f], 1, 2, 2, ["a"]);
        var valid = new TimeSeriesDataset("D", [4f, 1f, 12f, 10f], 1, 2, 2, ["a"]);
        using var loaders = DataLoaders.FromDatasets(train, valid, new DataLoadersOptions { Normalization = Normalization.PerChannel });
        using var scope = torch.NewDisposeScope();

        var x = loaders.Valid.OneBatch().Inputs.data<float>().ToArray();

        // Then ch0 uses mean 1, deviation 1 from training; constant ch1 is only centred (deviation 0 → divide by 1)
        Assert.Equal([1f, 10f], loaders.Normalizer.Offsets);
        Assert.Equal([1f, 0f], loaders.Normalizer.Scales);
        Assert.Equal([3f, 0f, 2f, 0f], x);
    }

    [Fact]
    public void Should_Min_Max_Scale_With_Training_Range()
    {
        using var leaks = new TensorLeakCheck();
        var train = new TimeSeriesDataset("D", [-1f, 3f], 1, 1, 2, ["a"]);
        var valid = new TimeSeriesDataset("D", [1f, 5f], 1, 1, 2, ["a"]);
        using var loaders = DataLoaders.FromDatasets(train, valid, new DataLoadersOptions { Normalization = Normalization.MinMax });
        using var scope = torch.NewDisposeScope();

        Assert.Equal([0.5f, 1.5f], loaders.Valid.OneBatch().Inputs.data<float>().ToArray());
    }

    [Theory]
    [InlineData(MissingValues.Interpolate, new[] { 2f, 2f, 3f, 4f, 5f, 5f })]
    [InlineData(MissingValues.Zero, new[] { 0f, 2f, 0f, 4f, 5f, 0f })]
    public void Should_Never_Give_The_Model_NaN(MissingValues policy, float[] expected)
    {
        // Given a series with missing values at both ends and inside: NaN 2 NaN 4 5 NaN
        using var leaks = new TensorLeakCheck();
        var data = new TimeSeriesDataset("D", [float.NaN, 2f, float.NaN, 4f, 5f, float.NaN], 1, 1, 6, ["a"]);
        using var loaders = DataLoaders.FromDatasets(data, data, new DataLoadersOptions { MissingValues = policy });
        using var scope = torch.NewDisposeScope();

        Assert.Equal(3, data.MissingValueCount);
        Assert.Equal(expected, loaders.Valid.OneBatch().Inputs.data<float>().ToArray());
    }

    [Fact]
    public void Should_Name_The_First_Missing_Value_When_Asked_To_Fail()
    {
        var data = new TimeSeriesDataset("D", [1f, float.NaN], 1, 1, 2, ["a"], sources: ["x_TRAIN.ts"]);

        var error = Assert.Throws<DatasetFormatException>(() =>
            DataLoaders.FromDatasets(data, data, new DataLoadersOptions { MissingValues = MissingValues.Fail }));

        Assert.Equal("x_TRAIN.ts: series 0 channel 0 has a missing value at step 1; choose MissingValues.Interpolate or MissingValues.Zero to fill it.", error.Message);
    }

    [Fact]
    public void Should_Zero_The_Padding_Of_Shorter_Series()
    {
        // Given a series of true length 2 padded with NaN to 4, z-normalized per sample
        using var leaks = new TensorLeakCheck();
        var data = new TimeSeriesDataset("D", [1f, 3f, float.NaN, float.NaN], 1, 1, 4, ["a"], lengths: [2]);
        using var loaders = DataLoaders.FromDatasets(data, data, new DataLoadersOptions { Normalization = Normalization.PerSample });
        using var scope = torch.NewDisposeScope();

        // Then padding is neither missing nor part of the statistics: it becomes 0
        Assert.Equal(0, data.MissingValueCount);
        Assert.Equal([-1f, 1f, 0f, 0f], loaders.Valid.OneBatch().Inputs.data<float>().ToArray());
    }

    [Fact]
    public void Should_Refuse_New_Data_With_A_Label_Outside_The_Vocabulary()
    {
        using var leaks = new TensorLeakCheck();
        var data = new TimeSeriesDataset("D", [1f, 2f], 2, 1, 1, ["a", "b"]);
        using var loaders = DataLoaders.FromDatasets(data, data);

        var error = Assert.Throws<DatasetFormatException>(() =>
            loaders.CreateLoader(new TimeSeriesDataset("D", [1f], 1, 1, 1, ["c"], sources: ["new.tsv"])));

        Assert.Equal("new.tsv: series 0 has label \"c\", expected one of the model's classes: a, b.", error.Message);
    }

    [Fact]
    public void Should_Say_What_Is_Wrong_With_Options()
    {
        var data = new TimeSeriesDataset("D", [1f, 2f], 2, 1, 1, ["a", "b"]);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DataLoaders.RandomSplit(data, new DataLoadersOptions { ValidPercent = 1.5 }));

        Assert.Contains("ValidPercent must be between 0 and 1 (exclusive), found 1.5", error.Message);
    }

    [Fact]
    public void Should_Refuse_A_Normalization_Or_Length_Policy_That_Is_Not_One_Of_Theirs()
    {
        var data = new TimeSeriesDataset("D", [1f, 2f, 3f, 4f], 4, 1, 1, ["a", "b", "a", "b"]);

        var normalization = Assert.Throws<ArgumentOutOfRangeException>(() => DataLoaders.RandomSplit(data, new DataLoadersOptions { Normalization = (Normalization)7 }));
        var lengths = Assert.Throws<ArgumentOutOfRangeException>(() => DataLoaders.RandomSplit(data, new DataLoadersOptions { VariableLengths = (VariableLengths)7 }));

        Assert.Contains("Normalization must be None, PerSample, PerChannel, MinMax, MeanSeries or null (chosen from the data), found 7", normalization.Message);
        Assert.Contains("VariableLengths must be Pad, Resample or null (chosen from the data), found 7", lengths.Message);
    }
}
