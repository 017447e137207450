using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Inference.Interop;
using Chronoscope.Reports;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;

namespace Chronoscope.Tests.Data;

/// <summary>Series of different lengths resampled to one length: the values, the loaders, and a model that resamples its inputs.</summary>
public sealed class VariableLengthsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Two channels; series 0 is [0, 10] / [1, 1], series 1 [1, 3, 2] / [4, NaN, 6], series 2 [7] / [8], padded to 3.</summary>
    private static TimeSeriesDataset Small() => new(
        "small",
        [0, 10, 0, 1, 1, 0, 1, 3, 2, 4, float.NaN, 6, 7, 0, 0, 8, 0, 0],
        3, 2, 3, ["a", "b", "a"], lengths: [2, 3, 1]);

    [Fact]
    public void Should_Interpolate_Each_Series_Over_Its_True_Length_Keeping_First_And_Last_Values()
    {
        var resampled = Small().Resample(5);

        // Hand computed: step t of 5 sits at t·(n-1)/4 of a series of n values
        Assert.Equal(5, resampled.Length);
        Assert.True(resampled.IsEqualLength);
        Assert.Equal([0f, 2.5f, 5f, 7.5f, 10f, 1f, 1f, 1f, 1f, 1f], resampled.Series(0).ToArray());
        Assert.Equal([1f, 2f, 3f, 2.5f, 2f], resampled.Series(1)[..5].ToArray());
        // a value next to a missing one is missing; the ends keep theirs
        Assert.Equal([4f, float.NaN, float.NaN, float.NaN, 6f], resampled.Series(1)[5..].ToArray());
        // a series of one value is constant
        Assert.Equal([7f, 7f, 7f, 7f, 7f, 8f, 8f, 8f, 8f, 8f], resampled.Series(2).ToArray());
        Assert.Equal(["a", "b", "a"], resampled.Labels);
        Assert.Equal(3, resampled.MissingValueCount);
    }

    [Fact]
    public void Should_Leave_An_Equal_Length_Series_Unchanged_At_Its_Own_Length()
    {
        var data = SyntheticData.Create(4, 2, 30, 2, seed: 5);

        Assert.Equal(data.Values.ToArray(), data.Resample(30).Values.ToArray());
    }

    [Fact]
    public void Should_Resample_Training_And_Validation_To_The_Longest_Length_When_Asked_And_Pad_By_Default()
    {
        // Given training series of 20 to 40 steps and validation series of 50
        var train = Variable(12, 40, seed: 1);
        var valid = SyntheticData.Create(4, 1, 50, 2, seed: 2);

        using var resampled = DataLoaders.FromDatasets(train, valid, new DataLoadersOptions { BatchSize = 4, VariableLengths = VariableLengths.Resample });
        using var padded = DataLoaders.FromDatasets(train, valid, new DataLoadersOptions { BatchSize = 4 });

        Assert.Equal(50, resampled.Length);
        Assert.True(resampled.Train.Dataset.IsEqualLength);
        Assert.Equal(train.Resample(50).Values.ToArray(), resampled.Train.Dataset.Values.ToArray());
        Assert.Equal(50, padded.Length);
        Assert.Equal(train.Lengths, padded.Train.Dataset.Lengths);
    }

    [Fact]
    public void Should_Resample_When_Left_To_The_Data_Only_Where_The_Training_Series_Vary_In_Length()
    {
        using var leaks = new TensorLeakCheck();
        // Given training series of 20 to 40 steps with validation series of 50, and series all of 30 steps
        var variable = Variable(12, 40, seed: 1);
        var equal = SyntheticData.Create(8, 1, 30, 2, seed: 7);
        var longer = SyntheticData.Create(4, 1, 50, 2, seed: 2);
        var options = new DataLoadersOptions { BatchSize = 4, VariableLengths = null };

        using var resampled = DataLoaders.FromDatasets(variable, longer, options);
        using var padded = DataLoaders.FromDatasets(equal, SyntheticData.Create(4, 1, 30, 2, seed: 8), options);
        using var learner = Learner.Create(resampled, new LearnerOptions { Model = SmallModels.Tiny });

        // Then the first are resampled (to the longest, 50) and the model keeps that; the second kept as read
        Assert.Equal(VariableLengths.Resample, resampled.VariableLengths);
        Assert.Equal(variable.Resample(50).Values.ToArray(), resampled.Train.Dataset.Values.ToArray());
        var atLongest = variable.Lengths.Count(n => n == 40);
        Assert.True(2 * atLongest <= variable.Count);
        Assert.Equal($"the training series vary in length ({variable.Lengths.Min()} to 40 steps; {atLongest} of 12 at the longest)", resampled.VariableLengthsReason);
        Assert.Equal(VariableLengths.Resample, learner.Classifier.VariableLengths);
        Assert.Equal(VariableLengths.Pad, padded.VariableLengths);
        Assert.Equal(equal.Values.ToArray(), padded.Train.Dataset.Values.ToArray());
        Assert.Equal("the training series are of one length", padded.VariableLengthsReason);
        // and the library's defaults stay the reference tutorial's: padded, as read, no reason
        using var byDefault = DataLoaders.FromDatasets(variable, longer, new DataLoadersOptions { BatchSize = 4 });
        Assert.Equal((VariableLengths.Pad, Normalization.None, (string?)null, (string?)null),
            (byDefault.VariableLengths, byDefault.Normalizer.Kind, byDefault.VariableLengthsReason, byDefault.NormalizationReason));
    }

    [Fact]
    public void Should_Pad_When_Left_To_The_Data_Where_Most_Training_Series_Have_The_Longest_Length()
    {
        // Given 12 series of 40 steps of which 5 end early (as trailing NaNs in a .tsv read: missing values at the end)
        var full = SyntheticData.Create(12, 1, 40, 2, seed: 9);
        int[] lengths = [40, 40, 33, 40, 40, 38, 40, 35, 40, 40, 31, 39];
        var values = full.Values.ToArray();
        for (var i = 0; i < lengths.Length; i++)
            values.AsSpan(i * 40 + lengths[i], 40 - lengths[i]).Clear();
        var train = new TimeSeriesDataset("cut", values, 12, 1, 40, [.. full.Labels!], lengths: lengths);

        using var data = DataLoaders.FromDatasets(train, SyntheticData.Create(4, 1, 40, 2, seed: 10), new DataLoadersOptions { BatchSize = 4, VariableLengths = null });

        // Then they stay aligned in time, padded: more than half (7) have the longest length
        Assert.Equal(VariableLengths.Pad, data.VariableLengths);
        Assert.Equal(lengths, data.Train.Dataset.Lengths);
        Assert.Equal("7 of 12 training series have the longest length (31 to 40 steps), so the shorter ones are taken as cut short",
            data.VariableLengthsReason);
    }

    [Fact]
    public void Should_Say_When_Training_Series_Of_One_Length_Are_Padded_To_Longer_Validation_Series()
    {
        // Given training series all of 30 steps with validation series of 25 to 50, and training series all of 50 with
        // validation series of 15 to 30
        var thirty = SyntheticData.Create(8, 1, 30, 2, seed: 7);
        var fifty = SyntheticData.Create(8, 1, 50, 2, seed: 8);
        var auto = new DataLoadersOptions { BatchSize = 4, VariableLengths = null };

        using var shorterTraining = DataLoaders.FromDatasets(thirty, Variable(4, 50, seed: 2), auto);
        using var shorterValidation = DataLoaders.FromDatasets(fifty, Variable(4, 30, seed: 3), auto);
        using var asked = DataLoaders.FromDatasets(thirty, Variable(4, 50, seed: 2), new DataLoadersOptions { BatchSize = 4, VariableLengths = VariableLengths.Pad });

        // Then the training series keep their 30 values and end in 20 zeros, and the choice names the part padded
        Assert.Equal(VariableLengths.Pad, shorterTraining.VariableLengths);
        Assert.Equal(50, shorterTraining.Length);
        var first = shorterTraining.Train.Dataset.Series(0).ToArray();
        Assert.Equal(thirty.Series(0).ToArray(), first[..30]);
        Assert.All(first[30..], v => Assert.Equal(0f, v));
        Assert.Equal(new PaddedPart(IsTraining: true, 30, 30), shorterTraining.PaddedPart);
        Assert.Equal(["auto: the training series (30 steps) padded to the validation series' 50, as the training series are of one length; --variable-lengths resample stretches every series to 50 steps instead"],
            SettingNames.Chosen(shorterTraining));
        var validLengths = Variable(4, 30, seed: 3).Lengths;
        Assert.True(validLengths.Min() < 30);
        Assert.Equal(new PaddedPart(IsTraining: false, validLengths.Min(), 30), shorterValidation.PaddedPart);
        Assert.Equal([$"auto: the validation series ({validLengths.Min()} to 30 steps) padded to the training series' 50, as the training series are of one length; --variable-lengths resample stretches every series to 50 steps instead"],
            SettingNames.Chosen(shorterValidation));
        // padding that was asked for is not a choice to report
        Assert.Equal(new PaddedPart(IsTraining: true, 30, 30), asked.PaddedPart);
        Assert.Empty(SettingNames.Chosen(asked));
    }

    [Fact]
    public void Should_Judge_A_Pooled_Split_By_The_Lengths_Of_Its_Training_Part()
    {
        // Given ten series of 30 steps and one of 40, pooled and split at random with several seeds
        var pooled = TimeSeriesDataset.Concatenate("pool", [SyntheticData.Create(10, 1, 30, 2, seed: 11), SyntheticData.Create(1, 1, 40, 2, seed: 12)], mixedLengths: true);
        var allThirty = 0;
        for (var seed = 1; seed <= 8; seed++)
        {
            using var data = DataLoaders.RandomSplit(pooled, new DataLoadersOptions { BatchSize = 4, SplitSeed = seed, VariableLengths = null });
            var trainLengths = DataLoaders.SplitIndices(pooled.Count, 0.2, seed).Train.Select(i => pooled.Lengths[i]).ToList();

            // Then it resamples exactly when the training part holds the 40-step series (one of eight at the longest),
            // and pads when the training series are all 30 steps, however long the pool
            var varies = trainLengths.Distinct().Count() > 1;
            Assert.Equal(varies ? VariableLengths.Resample : VariableLengths.Pad, data.VariableLengths);
            Assert.Equal(varies ? $"the training series vary in length (30 to 40 steps; 1 of {trainLengths.Count} at the longest)" : "the training series are of one length", data.VariableLengthsReason);
            allThirty += varies ? 0 : 1;
        }
        Assert.InRange(allThirty, 1, 7);
    }

    [Fact]
    public void Should_Resample_The_Inputs_Of_A_Model_Trained_On_Resampled_Series_Also_After_Saving()
    {
        using var leaks = new TensorLeakCheck();
        // Given a model trained on resampled series of 20 to 40 steps, saved and loaded
        var train = Variable(16, 40, seed: 3);
        using var data = DataLoaders.FromDatasets(train, Variable(6, 40, seed: 4), new DataLoadersOptions { BatchSize = 8, VariableLengths = VariableLengths.Resample });
        using var learner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Tiny });
        learner.FitOneCycle(1, 1e-3);
        var path = _folder.Combine("model.chronoscope");
        learner.Save(path);
        using var loaded = TimeSeriesClassifier.Load(path);

        // When new series of other lengths are classified
        var fresh = Variable(5, 33, seed: 6);
        var raw = loaded.Predict(fresh);
        var byHand = loaded.Predict(fresh.Resample(40));

        // Then the model says how it was trained and classifies them as if resampled by hand, and so do its members
        Assert.Equal(VariableLengths.Resample, loaded.VariableLengths);
        Assert.Equal(byHand.Probabilities.ToArray(), raw.Probabilities.ToArray());
        using var member = loaded.Member(0);
        Assert.Equal(VariableLengths.Resample, member.VariableLengths);
        Assert.Equal(40, member.Conform(fresh).Length);
        // and the policy crosses to PyTorch's files and back with the weights
        var exported = PyTorchModels.Export(loaded, _folder.Combine("model.pt"));
        using var imported = PyTorchModels.Import(exported.WeightsPath).Classifier;
        Assert.Equal(VariableLengths.Resample, imported.VariableLengths);
        Assert.Equal(raw.Probabilities.ToArray(), imported.Predict(fresh).Probabilities.ToArray());
    }

    [Fact]
    public void Should_Give_A_Padding_Model_Its_Data_As_It_Is()
    {
        using var leaks = new TensorLeakCheck();
        using var data = DataLoaders.FromDatasets(Variable(16, 40, seed: 3), Variable(6, 40, seed: 4), new DataLoadersOptions { BatchSize = 8 });
        using var learner = Learner.Create(data, new LearnerOptions { Model = SmallModels.Tiny });
        var fresh = Variable(5, 33, seed: 6);

        Assert.Equal(VariableLengths.Pad, learner.Classifier.VariableLengths);
        Assert.Same(fresh, learner.Classifier.Conform(fresh));
    }

    [Fact]
    public void Should_Refuse_An_Ensemble_Of_A_Padding_And_A_Resampling_Model()
    {
        using var leaks = new TensorLeakCheck();
        var (train, valid) = (Variable(16, 40, seed: 3), Variable(6, 40, seed: 4));
        using var padded = DataLoaders.FromDatasets(train, valid, new DataLoadersOptions { BatchSize = 8 });
        using var resampled = DataLoaders.FromDatasets(train, valid, new DataLoadersOptions { BatchSize = 8, VariableLengths = VariableLengths.Resample });
        using var padding = Learner.Create(padded, new LearnerOptions { Model = SmallModels.Tiny });
        using var resampling = Learner.Create(resampled, new LearnerOptions { Model = SmallModels.Tiny });

        var error = Assert.Throws<ArgumentException>(() => TimeSeriesClassifier.Ensemble([padding.Classifier, resampling.Classifier]));

        Assert.Contains("the length their inputs are resampled to", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Sines of 2 classes whose series are cut to lengths between half of <paramref name="longest"/> and all of it.</summary>
    private static TimeSeriesDataset Variable(int count, int longest, int seed)
    {
        var full = SyntheticData.Create(count, 1, longest, 2, seed);
        var random = new Random(seed);
        var lengths = Enumerable.Range(0, count).Select(_ => random.Next(longest / 2, longest + 1)).ToArray();
        lengths[0] = longest;
        var values = full.Values.ToArray();
        for (var i = 0; i < count; i++)
            values.AsSpan(i * longest + lengths[i], longest - lengths[i]).Clear();
        return new TimeSeriesDataset("variable", values, count, 1, longest, [.. full.Labels!], lengths: lengths);
    }
}
