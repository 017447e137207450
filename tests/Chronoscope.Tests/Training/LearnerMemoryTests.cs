using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;

namespace Chronoscope.Tests.Training;

/// <summary>
/// Training's memory check, on a machine the test assumes: the automatic batch made smaller to fit what is available,
/// an explicit batch refused only when it cannot fit at all (saying which fits), and warned about otherwise.
/// </summary>
public sealed class LearnerMemoryTests
{
    private static readonly LearnerOptions Tiny = new() { Model = SmallModels.Tiny, Seed = 1 };

    private static long Step(int batch) => MemoryBudget.Estimate(MemoryPass.Training, batch, 150, SmallModels.Tiny);

    // Free memory that leaves room for a step of so many series: the process's own part of the estimate is resident already.
    private static long Free(int batch) => Step(batch) - MemoryBudget.ProcessBytes;

    [Fact]
    public void Should_Shrink_The_Automatic_Batch_To_What_The_Available_Memory_Holds()
    {
        // Given GunPoint with the automatic batch, and a machine with room for a step of 3 series
        using var leaks = new TensorLeakCheck();
        using var data = DataLoaders.FromTrainTest(TestData.GunPointTrainArff, TestData.GunPointTestArff, new DataLoadersOptions { BatchSize = null });
        var automatic = data.Train.BatchSize;
        Assert.True(automatic > 3);
        using var machine = MachineMemory.Assume(new MachineMemory(100L << 30, Free(3), "MemTotal"));

        // When a learner is made and fits an epoch
        using var learner = Learner.Create(data, Tiny);
        var fit = learner.Fit(1, 1e-3);

        // Then it trains in batches of 3 and says why, once
        Assert.Equal(3, data.Train.BatchSize);
        Assert.Equal(16, learner.OptimizerSteps); // 50 series in batches of 3, the last incomplete one dropped
        var note = Assert.Single(fit.Notes, n => n.Contains("(auto)", StringComparison.Ordinal));
        Assert.StartsWith($"batch size 3 instead of {automatic} (auto): {automatic} series of 150 steps would need about", note, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_An_Explicit_Batch_Beyond_All_The_Memory_Before_Any_Step_And_Say_Which_Fits()
    {
        // Given batches of 16 given explicitly, on a machine of room for 5 in all
        using var leaks = new TensorLeakCheck();
        using var data = DataLoaders.FromTrainTest(TestData.GunPointTrainArff, TestData.GunPointTestArff, new DataLoadersOptions { BatchSize = 16 });
        using var machine = MachineMemory.Assume(new MachineMemory(Step(5), Step(5), "MemTotal"));
        using var learner = Learner.Create(data, Tiny);

        // When it fits
        var refused = Assert.Throws<MemoryLimitException>(() => learner.Fit(1, 1e-3));

        // Then nothing trained, the batch is the one given, and the message says a batch of 5 fits
        Assert.Equal(0, learner.OptimizerSteps);
        Assert.Equal(16, data.Train.BatchSize);
        Assert.Equal(Step(16), refused.EstimatedBytes);
        Assert.Contains("GunPoint_TRAIN.arff: training on series of 150 steps, 16 at a time, needs about", refused.Message, StringComparison.Ordinal);
        Assert.Contains("To fit: a batch of at most 5 series, shorter series (resample or crop them), or use a machine with more memory.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Train_An_Explicit_Batch_Beyond_The_Available_Memory_With_A_Warning()
    {
        // Given batches of 16 given explicitly, on a large machine with room for 2 free now
        using var leaks = new TensorLeakCheck();
        using var data = DataLoaders.FromTrainTest(TestData.GunPointTrainArff, TestData.GunPointTestArff, new DataLoadersOptions { BatchSize = 16 });
        using var machine = MachineMemory.Assume(new MachineMemory(100L << 30, Free(2), "MemTotal"));
        using var learner = Learner.Create(data, Tiny);

        // When it fits an epoch, twice
        var first = learner.Fit(1, 1e-3);
        var second = learner.Fit(1, 1e-3);

        // Then it trains in batches of 16, warning in the first fit's notes only
        Assert.Equal(6, learner.OptimizerSteps); // 2 epochs × 3 batches (50 series, the last incomplete batch dropped)
        var warning = Assert.Single(first.Notes, n => n.Contains("available to it now", StringComparison.Ordinal));
        Assert.Contains("training on series of 150 steps, 16 at a time", warning, StringComparison.Ordinal);
        Assert.Contains("a batch of at most 2 series", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(second.Notes, n => n.Contains("available to it now", StringComparison.Ordinal));
    }
}
