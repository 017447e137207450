using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Inference;

/// <summary>
/// The memory check before passes: its arithmetic against hand computation, and its decisions (refuse, warn, fit the
/// passes) against a machine the test assumes, so nothing depends on this machine's memory and nothing large is built.
/// </summary>
public sealed class MemoryBudgetTests
{
    [Fact]
    public void Should_Count_Every_Pass_Higher_On_Glibcs_Heap_Than_With_The_Block_Cache_And_Use_The_Caches_Here()
    {
        // The rates measured with glibc's heap alone exceed the block cache's for every pass (its point is to hold a pass
        // to what lives in it); this test process runs with the cache (TestSupport/ProcessSetup), so the other tests
        // here count the cache's rates
        foreach (var pass in Enum.GetValues<MemoryPass>())
            Assert.True(MemoryBudget.SystemHeapRates.Of(pass) > MemoryBudget.CachedBlockRates.Of(pass), $"{pass}");
        Assert.True(TensorBlockCache.Installed);
        Assert.Same(MemoryBudget.CachedBlockRates, MemoryBudget.Rates);
    }

    [Fact]
    public void Should_Estimate_The_Process_Plus_The_Rate_Times_Series_Steps_Scaled_By_The_Networks_Size()
    {
        // Given the default network, one twice as wide and one half as deep
        var wide = new InceptionTimeOptions { Filters = 64 };
        var shallow = new InceptionTimeOptions { Depth = 3 };

        // When prediction of 4 series of 10,000 steps and training of 8 of 1,000,000 are estimated
        // Then: 256 MiB + 6 KiB × 4 × 10,000 = 268,435,456 + 245,760,000
        Assert.Equal(514_195_456, MemoryBudget.Estimate(MemoryPass.Prediction, 4, 10_000, new InceptionTimeOptions()));
        Assert.Equal(268_435_456 + 2 * 245_760_000L, MemoryBudget.Estimate(MemoryPass.Prediction, 4, 10_000, wide));
        Assert.Equal(268_435_456 + 245_760_000L / 2, MemoryBudget.Estimate(MemoryPass.Prediction, 4, 10_000, shallow));
        // 256 MiB + 22 KiB × 8 × 1,000,000 = 268,435,456 + 180,224,000,000
        Assert.Equal(180_492_435_456, MemoryBudget.Estimate(MemoryPass.Training, 8, 1_000_000, new InceptionTimeOptions()));
        // Grad-CAM 8 KiB, input gradients 32 KiB a series step
        Assert.Equal(268_435_456 + 8_192L * 1_000, MemoryBudget.Estimate(MemoryPass.LayerGradients, 1, 1_000, new InceptionTimeOptions()));
        Assert.Equal(268_435_456 + 32_768L * 1_000, MemoryBudget.Estimate(MemoryPass.InputGradients, 1, 1_000, new InceptionTimeOptions()));
        // A series of 10 million steps predicted alone: about 61.7 GB, more than most machines have
        Assert.Equal(268_435_456 + 61_440_000_000, MemoryBudget.Estimate(MemoryPass.Prediction, 1, 10_000_000, new InceptionTimeOptions()));
    }

    [Fact]
    public void Should_Read_The_Smaller_Of_MemTotal_And_A_Cgroup_Limit()
    {
        // Given /proc/meminfo of a 24 GB machine with 20 GB available
        const string meminfo = "MemTotal:       24000000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\nBuffers:            1000 kB\n";

        // When it is read without a cgroup limit, with v1's "no limit", and with a container limit of 8 GiB using 3 GiB
        var machine = MachineMemory.FromLinux(meminfo, null, null);
        var unlimited = MachineMemory.FromLinux(meminfo, 9_223_372_036_854_771_712, 1 << 30);
        var container = MachineMemory.FromLinux(meminfo, 8L << 30, 3L << 30);

        // Then the machine's numbers, or the container's limit and what it leaves
        Assert.Equal((24_000_000L * 1024, 20_000_000L * 1024), (machine.Total, machine.Available));
        Assert.Equal((machine.Total, machine.Available), (unlimited.Total, unlimited.Available));
        Assert.Equal((8L << 30, 5L << 30), (container.Total, container.Available));
        Assert.Contains("cgroup", container.Origin, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_Beyond_All_The_Memory_Warn_Beyond_The_Available_And_Say_Nothing_Within()
    {
        // Given work of one series of 100,000 steps predicted (256 MiB + 614.4 MB = 882.8 MB)
        var need = Prediction(100_000, batch: 1);
        Assert.Equal(882_835_456, need.Bytes);

        // When it is judged on machines of 800 MB, of 2 GB with 500 MB free, and of 2 GB with 1 GB free
        var refused = Assert.Throws<MemoryLimitException>(() => MemoryBudget.Require(need, new MachineMemory(800_000_000, 700_000_000, "MemTotal")));
        var warning = MemoryBudget.Require(need, new MachineMemory(2_000_000_000, 500_000_000, "MemTotal"));
        var quiet = MemoryBudget.Require(need, new MachineMemory(2_000_000_000, 1_000_000_000, "MemTotal"));
        // and a batch of 64 short series (256 MiB + 59 MB) with 100 MB free: the process's own 256 MiB is resident already
        var busy = MemoryBudget.Require(Prediction(150, batch: 64), new MachineMemory(2_000_000_000, 100_000_000, "MemTotal"));

        // Then the first is refused naming the file, the length, the estimate, the memory and the remedies
        Assert.Equal(882_835_456, refused.EstimatedBytes);
        Assert.Equal(800_000_000, refused.TotalBytes);
        Assert.Equal("data/Long.ts: predicting series of 100,000 steps, one at a time, needs about 882 MB of memory, more than the 800 MB this machine has in all (MemTotal): " +
            "the system would kill it part way, without a message. To fit: shorter series (resample or crop them), or use a machine with more memory.", refused.Message);
        // the second warned (500 MB free and the process's own 256 MiB), the third and fourth not
        Assert.NotNull(warning);
        Assert.StartsWith("data/Long.ts: predicting series of 100,000 steps, one at a time, needs about 882 MB of memory, more than the 768 MB available to it now (of 2.0 GB in all)", warning, StringComparison.Ordinal);
        Assert.Null(quiet);
        Assert.Null(busy);
    }

    [Fact]
    public void Should_Say_Which_Batch_Fits_When_A_Batch_Does_Not()
    {
        // Given 8 series of 100,000 steps to train on (256 MiB + 8 × 2.25 GB = 18.3 GB)
        var need = new MemoryNeed("training on", "train.ts", 100_000, 8,
            batch => MemoryBudget.Estimate(MemoryPass.Training, batch, 100_000, new InceptionTimeOptions()));

        // When it is judged on a machine of 16 GB: 256 MiB + 6 × 2.25 GB = 13.8 GB fits, 7 (16.04 GB) does not
        var refused = Assert.Throws<MemoryLimitException>(() => MemoryBudget.Require(need, new MachineMemory(16_000_000_000, 15_000_000_000, "MemTotal")));

        // Then the message says so
        Assert.Equal(6, need.LargestBatchWithin(16_000_000_000));
        Assert.Contains("train.ts: training on series of 100,000 steps, 8 at a time, needs about 18.3 GB of memory, more than the 16.0 GB", refused.Message, StringComparison.Ordinal);
        Assert.Contains("To fit: a batch of at most 6 series, shorter series (resample or crop them), or use a machine with more memory.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Make_Passes_Smaller_To_Fit_The_Available_Memory_And_Warn_Only_When_One_Series_Does_Not()
    {
        // Given passes of 10 series of 100,000 steps (each series 614.4 MB above the process's 256 MiB)
        var need = Prediction(100_000, batch: 10);
        var machine = new MachineMemory(100_000_000_000, 2_200_000_000, "MemTotal");

        // When they are fitted to 2.2 GB available (three series: 2.11 GB), to 0.5 GB available of 2 GB, and to 0.8 GB in all
        var (fitted, none) = MemoryBudget.FitPasses(need, machine);
        var (one, warning) = MemoryBudget.FitPasses(need, new MachineMemory(2_000_000_000, 500_000_000, "MemTotal"));

        // Then three series a pass without a word; one with a warning; refused
        Assert.Equal((3, (string?)null), (fitted, none));
        Assert.Equal(1, one);
        Assert.Contains("one at a time", warning, StringComparison.Ordinal);
        Assert.Throws<MemoryLimitException>(() => MemoryBudget.FitPasses(need, new MachineMemory(800_000_000, 800_000_000, "MemTotal")));
    }

    [Fact]
    public void Should_Refuse_To_Predict_Or_Explain_A_Series_Too_Long_For_The_Machine_Before_Any_Pass()
    {
        // Given a machine of 500 MB (assumed), and a series of 200,000 steps: a pass would need 256 MiB + 307.2 MB (a
        // network of a quarter of the default's size) to predict, more to explain; the check must come before any such pass
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var data = new TimeSeriesDataset("Long", new float[200_000], 1, 1, 200_000, null, sources: ["long.ts"]);
        using var small = MachineMemory.Assume(new MachineMemory(500_000_000, 500_000_000, "MemTotal"));

        // When it is predicted, mapped with Grad-CAM and attributed with saliency
        var prediction = Assert.Throws<MemoryLimitException>(() => classifier.Predict(data));
        var gradCam = Assert.Throws<MemoryLimitException>(() => new Explainer(classifier).Explain(data, [0]));
        var saliency = Assert.Throws<MemoryLimitException>(() => new Explainer(classifier).Explain(data, [0], new ExplainOptions { Method = MapMethod.Saliency }));

        // Then each is refused with the file, the length and the estimate
        Assert.StartsWith("long.ts: predicting series of 200,000 steps, one at a time, needs about 575 MB", prediction.Message, StringComparison.Ordinal);
        Assert.StartsWith("long.ts: explaining (GRAD-CAM) series of 200,000 steps, one at a time, needs about 678 MB", gradCam.Message, StringComparison.Ordinal);
        Assert.StartsWith("long.ts: explaining (Saliency) series of 200,000 steps, one at a time, needs about 1.9 GB", saliency.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Predict_And_Explain_In_Passes_That_Fit_The_Available_Memory_With_The_Same_Results()
    {
        // Given 4 GunPoint series, and a machine with room for one series a pass of Grad-CAM and saliency
        using var leaks = new TensorLeakCheck();
        using var classifier = SmallModels.GunPoint();
        var data = DatasetReader.Read(TestData.GunPointTestArff).Subset([0, 1, 2, 3]);
        var explainer = new Explainer(classifier);
        var saliency = new ExplainOptions { Method = MapMethod.Saliency };
        var roomy = (classifier.Predict(data).Probabilities.ToArray(), explainer.Explain(data, [0, 1, 2, 3]).Values.ToArray(), explainer.Explain(data, [0, 1, 2, 3], saliency).Values.ToArray());
        var one = MemoryBudget.Estimate(MemoryPass.InputGradients, 1, 150, classifier.Model.Options);
        Assert.Equal(1, explainer.ExplanationMemory(data, saliency).LargestBatchWithin(one));

        // When they are predicted and explained there
        (float[], float[], float[]) tight;
        using (MachineMemory.Assume(new MachineMemory(one, one, "MemTotal")))
            tight = (classifier.Predict(data).Probabilities.ToArray(), explainer.Explain(data, [0, 1, 2, 3]).Values.ToArray(), explainer.Explain(data, [0, 1, 2, 3], saliency).Values.ToArray());

        // Then the results are those of the roomy machine
        Assert.All(roomy.Item1.Zip(tight.Item1), p => Assert.Equal(p.First, p.Second, 1e-5));
        Assert.All(roomy.Item2.Zip(tight.Item2), p => Assert.Equal(p.First, p.Second, 1e-4));
        Assert.All(roomy.Item3.Zip(tight.Item3), p => Assert.Equal(p.First, p.Second, 1e-4));
    }

    [Fact]
    public void Should_Run_As_Many_Processes_At_Once_As_The_Available_Memory_Holds_At_Least_One()
    {
        // Given work of 1 GB a process (its own 256 MiB and 768 MiB of steps)
        var need = new MemoryNeed("training on", "x.ts", 100, 1, _ => 1L << 30);
        MachineMemory Available(double gib) => new(64L << 30, (long)(gib * (1L << 30)), "MemTotal");

        // Then 4 processes wanted get 4 where 4.5 GB is available, 2 where 2.9 GB, 1 where 0.5 GB (one must run; whether
        // it fits is Require's to say), and never more than wanted
        Assert.Equal(4, MemoryBudget.ProcessesAtOnce(need, 4, Available(4.5)));
        Assert.Equal(2, MemoryBudget.ProcessesAtOnce(need, 4, Available(2.9)));
        Assert.Equal(1, MemoryBudget.ProcessesAtOnce(need, 4, Available(0.5)));
        Assert.Equal(3, MemoryBudget.ProcessesAtOnce(need, 3, Available(40)));
    }

    private static MemoryNeed Prediction(long length, int batch) =>
        new("predicting", "data/Long.ts", length, batch, series => MemoryBudget.Estimate(MemoryPass.Prediction, series, length, new InceptionTimeOptions()));
}
