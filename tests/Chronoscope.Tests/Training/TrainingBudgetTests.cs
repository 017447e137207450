using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;

namespace Chronoscope.Tests.Training;

public sealed class TrainingBudgetTests
{
    [Fact]
    public void Should_Give_A_16_Series_Training_Set_At_Least_The_Minimum_Steps()
    {
        // Given 16 training series of length 100 and the automatic batch size (a quarter, at least 8: 2 batches)
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(16, 1, 100, 2, seed: 1), SyntheticData.Create(4, 1, 100, 2, seed: 2),
            new DataLoadersOptions { BatchSize = null });
        var budget = new TrainingBudget();

        // When the budget chooses the epochs
        var epochs = budget.Epochs(data.Train);

        // Then the fit takes at least the minimum steps: 500 steps of 2 batches = 250 epochs, and no more
        Assert.Equal(8, data.Train.BatchSize);
        Assert.Equal(2, data.Train.BatchCount);
        Assert.Equal(250, epochs);
        Assert.True(epochs * data.Train.BatchCount >= budget.MinimumSteps);
    }

    [Theory]
    [InlineData(16, 8)]    // 16 / 4 = 4, raised to 8
    [InlineData(50, 12)]   // GunPoint's 50
    [InlineData(100, 25)]  // ECG200's 100
    [InlineData(1800, 64)] // capped at the reference's 64
    public void Should_Choose_A_Quarter_Of_The_Training_Series_From_8_To_64_Per_Batch(int trainCount, int expected) =>
        Assert.Equal(expected, DataLoaders.AutoBatchSize(trainCount));

    [Theory]
    [InlineData(50, 150, 12)]   // GunPoint: 4 batches of 12, 125 epochs within the batch work (138): 500 steps, a quarter stands
    [InlineData(1800, 80, 64)]  // PhalangesOutlinesCorrect: 28 batches of 64 for the floor of 25 epochs, 700 steps
    [InlineData(100, 96, 20)]   // ECG200: batches of 25 get 104 affordable epochs of 4, 416 steps; of 20, 100 epochs of 5, 500
    [InlineData(200, 427, 10)]  // OSULeaf: 25 epochs (the floor; 11 affordable) of 20 batches of 10 = 500; of 11, 18 batches, 450
    [InlineData(100, 1460, 8)]  // ACSF1: even batches of 8 give 25 epochs of 12, 300 steps: the smallest stands
    public void Should_Make_The_Automatic_Batch_Smaller_Only_Where_The_Cycle_Work_Leaves_Fewer_Than_The_Minimum_Steps(int trainCount, int length, int expected)
    {
        var budget = new TrainingBudget();

        var batchSize = budget.BatchSize(trainCount, length, dropLast: true);

        Assert.Equal(expected, batchSize);
        Assert.InRange(batchSize, DataLoaders.SmallestAutoBatchSize, DataLoaders.AutoBatchSize(trainCount));
    }

    [Theory]
    [InlineData(100, 5000, true)]  // 25 epochs (the floor; 20 affordable) of 12 batches of 8 = 300 steps
    [InlineData(100, 1460, false)] // ACSF1: 25 + 17 epochs (71 affordable in all) of 12 batches of 8 = 504 steps
    [InlineData(100, 3600, false)] // 25 + 3 epochs (28 affordable in all): 36 steps more are no cycle, the first takes them
    [InlineData(200, 427, false)]  // OSULeaf: the floor of 25 epochs, of 20 batches of 10 = 500 steps
    [InlineData(36, 251, false)]   // ArrowHead: 124 + 1 epochs of 4 batches of 8, one cycle of 500 steps, above the floor
    [InlineData(1800, 80, false)]  // PhalangesOutlinesCorrect: the floor of 25 epochs, of 28 batches of 64 = 700 steps
    public void Should_Say_A_Fit_Falls_Short_Only_When_It_Has_Neither_The_Minimum_Steps_Nor_More_Than_The_Floor_Of_Epochs(int trainCount, int length, bool expected)
    {
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(trainCount, 1, length, 2, seed: 1), SyntheticData.Create(4, 1, length, 2, seed: 2),
            new DataLoadersOptions { BatchSize = null });

        Assert.Equal(expected, new TrainingBudget().FallsShort(data.Train));
    }

    [Fact]
    public void Should_Batch_The_Training_Loader_As_The_Budget_Chooses_When_No_Size_Is_Given()
    {
        // Given 200 training series of length 427 (OSULeaf's shape) and no batch size
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(200, 1, 427, 2, seed: 1), SyntheticData.Create(4, 1, 427, 2, seed: 2),
            new DataLoadersOptions { BatchSize = null });

        // When the budget chooses the epochs, then the fit takes the minimum steps in batches of 10
        Assert.Equal(10, data.Train.BatchSize);
        Assert.Equal(500, new TrainingBudget().Epochs(data.Train) * data.Train.BatchCount);
    }

    [Fact]
    public void Should_Train_A_Large_Set_For_The_Minimum_Epochs_Whatever_The_Work()
    {
        // 1,800 series of length 80 in batches of 64 (28 per epoch): 500 steps would be 18 epochs (and the cycle's work
        // 1,000,000 / (1,792 × 80) = 6), the floor is 25
        Assert.Equal(25, new TrainingBudget().Epochs(batchesPerEpoch: 28, seriesPerEpoch: 1792, length: 80));
    }

    [Fact]
    public void Should_Cap_The_First_Cycle_Of_Long_Series_By_The_Cycle_Work()
    {
        // 20 series in 2 batches of 8 (16 used per epoch): 250 epochs for 500 steps. Length 500 (ShapeletSim):
        // 1,000,000 / (16 × 500) = 125 affordable
        Assert.Equal(125, new TrainingBudget().Epochs(2, 16, 500));
        // length 100: 625 affordable, the 250 for 500 steps stand
        Assert.Equal(250, new TrainingBudget().Epochs(2, 16, 100));
        // length 100,000: none affordable, fewer than the floor of 25 epochs: the floor stands
        Assert.Equal(25, new TrainingBudget().Epochs(2, 16, 100_000));
        // a bound on the whole fit below the cycle's bounds the first cycle too: 100,000 / (16 × 100) = 62
        Assert.Equal(62, new TrainingBudget { MaximumWork = 100_000 }.Epochs(2, 16, 100));
    }

    [Fact]
    public void Should_Offer_Long_Series_In_Batches_Of_8_A_Second_Cycle_Up_To_The_Minimum_Steps()
    {
        // Given Beef's shape: 30 series of 470 steps, whose 500 steps even in batches of 8 (3 an epoch, 24 series) need
        // 167 epochs, 1,883,760 series × steps: more than a cycle's work of 1,000,000, within the bound of 10,000,000
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(30, 1, 470, 2, seed: 1), SyntheticData.Create(4, 1, 470, 2, seed: 2),
            new DataLoadersOptions { BatchSize = null });
        var budget = new TrainingBudget();

        // Then the batch is the smallest, the first cycle takes the 88 epochs a cycle's work affords (264 steps), and a
        // second cycle the 79 more that make 167 epochs, 501 steps
        Assert.Equal(8, data.Train.BatchSize);
        Assert.Equal(3, data.Train.BatchCount);
        Assert.Equal(88, budget.Epochs(data.Train));
        Assert.Equal(79, budget.SecondCycleEpochs(data.Train));
        // no second cycle within a bound of 1,000,000 on the whole fit
        Assert.Equal(0, (budget with { MaximumWork = 1_000_000 }).SecondCycleEpochs(data.Train));
    }

    [Theory]
    [InlineData(16, 100, 0)]    // the first cycle has its 500 steps (250 epochs of 2 batches)
    [InlineData(1800, 80, 0)]   // PhalangesOutlinesCorrect: the floor of 25 epochs has 700 steps
    [InlineData(100, 1460, 17)] // ACSF1: 25 epochs (the floor) of 12 batches of 8, 300 steps; 42 epochs make 504
    [InlineData(100, 5000, 0)]  // even the whole bound affords fewer than the floor of 25 epochs: nothing more
    [InlineData(36, 251, 0)]    // ArrowHead: 124 epochs of 4 batches, 496 steps; 1 epoch more is no cycle: the first takes it
    [InlineData(20, 500, 125)]  // ShapeletSim: 125 epochs of 2 batches, 250 steps; 125 more make 500
    public void Should_Offer_A_Second_Cycle_Only_Where_The_First_Falls_Short_Of_The_Steps_And_The_Bound_Allows_More(int trainCount, int length, int expected)
    {
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(trainCount, 1, length, 2, seed: 1), SyntheticData.Create(4, 1, length, 2, seed: 2),
            new DataLoadersOptions { BatchSize = null });

        Assert.Equal(expected, new TrainingBudget().SecondCycleEpochs(data.Train));
    }

    [Theory]
    [InlineData(0.5, 6)]  // far above the floor: the second cycle runs
    [InlineData(0.05, 3)] // within the margin of 0.1: the fit ends after the first
    public void Should_Run_The_Second_Cycle_Only_While_The_Training_Loss_Is_Far_Above_Its_Floor(double above, int expectedEpochs)
    {
        // Given 32 series in 2 batches of 16, validated every 2 epochs, and a budget of 12 steps whose cycle work
        // (32 × 24 × 3) affords 3 epochs, the whole bound 6; the smoothed loss is set to a known height above label
        // smoothing's floor at the first cycle's last step, and to the other side of the margin at every other step
        using var leaks = new TensorLeakCheck();
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(32, 1, 24, 2, seed: 3), SyntheticData.Create(8, 1, 24, 2, seed: 4),
            new DataLoadersOptions { BatchSize = 16 });
        using var learner = Learner.Create(data, new LearnerOptions { Model = new InceptionTimeOptions { Depth = 1, Filters = 16 }, ValidationInterval = 2 });
        var budget = new TrainingBudget { MinimumSteps = 12, MinimumEpochs = 1, CycleWork = 32 * 24 * 3, MaximumWork = 1_000_000, MaxLearningRate = 1e-3 };
        Assert.Equal((3, 3), (budget.Epochs(data.Train), budget.SecondCycleEpochs(data.Train)));
        var floor = UnderfitCheck.LossFloor(2, learner.Options.LabelSmoothing);

        // When it fits with the budget, averaging the weights of the last quarter of its planned steps
        using var averaging = new WeightAveraging(0.75);
        var fit = learner.FitOneCycle(budget, [new SmoothedLossOverride(lastStepOfFirstCycle: 5, floor + above, otherwise: floor + 0.55 - above), averaging]);

        // Then it trains both cycles, or ends after the first as planned (validated as a last epoch, off the interval, not stopped)
        Assert.Equal(expectedEpochs, fit.EpochsTrained);
        Assert.Equal(expectedEpochs * 2, learner.OptimizerSteps);
        Assert.Equal(expectedEpochs - 1, fit.Last!.Epoch);
        Assert.Null(fit.StopReason);
        Assert.Equal(expectedEpochs, learner.LastFit!.Epochs);
        Assert.Equal(1e-3, learner.LastFit.MaxLearningRate); // the first cycle's peak, exactly, whichever way it went
        var rates = learner.Recorder.LearningRates;
        Assert.Equal(expectedEpochs * 2, rates.Count);
        // each cycle warms up from its peak/25 and anneals toward peak/1e5: the first ends annealing, the second starts
        // over from a third of the first's peak
        Assert.Equal(1e-3 / 25, rates[0], 1e-9);
        Assert.Equal(Schedule.OneCycleLearningRate(1e-3).At(5 / 6.0), rates[5], 1e-12);
        var second = fit.Notes.Where(n => n.Contains("a second cycle", StringComparison.Ordinal)).ToList();
        if (expectedEpochs == 6)
        {
            Assert.Equal(1e-3 / 3 / 25, rates[6], 1e-9);
            Assert.True(rates[7] > rates[6], $"{rates[6]}, {rates[7]}");
            Assert.Equal(string.Create(CultureInfo.InvariantCulture,
                $"the training loss ended the first cycle of 3 epochs at {floor + above:0.00}, {above:0.00} above label smoothing's floor of {floor:0.00} for 2 classes: a second cycle of 3 epochs follows (the archive's ACSF1: 0.85 after the first, 0.89 after the second, 3 seeds)."),
                Assert.Single(second));
            Assert.Equal(3, averaging.AveragedSteps); // steps 10-12 of 12
        }
        else
        {
            Assert.Empty(second);
            // the averaging was to start after step 9 of the 12 planned: a fit of 6 says it averaged nothing
            Assert.Equal(0, averaging.AveragedSteps);
            Assert.Contains("stochastic weight averaging averaged no step: the fit ended after 6 steps, before the share of 0.75 of its planned steps where averaging was to start; the saved weights are the last step's.", fit.Notes);
        }
    }

    [Fact]
    public void Should_Refuse_A_Second_Cycle_Divisor_That_Is_Not_Positive()
    {
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(32, 1, 24, 2, seed: 3), SyntheticData.Create(8, 1, 24, 2, seed: 4),
            new DataLoadersOptions { BatchSize = 16 });
        using var learner = Learner.Create(data, new LearnerOptions { Model = new InceptionTimeOptions { Depth = 1, Filters = 16 } });
        var budget = new TrainingBudget { MinimumSteps = 12, MinimumEpochs = 1, CycleWork = 32 * 24 * 3, SecondCycleDivisor = 0 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => learner.FitOneCycle(budget));

        Assert.Contains("expected a second-cycle divisor above 0", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, learner.OptimizerSteps);
    }

    // Sets the smoothed training loss after LossSmoother (-30) and before the second cycle's gate (-26) reads it: one
    // value at the given step (from 0), another at every other.
    private sealed class SmoothedLossOverride(int lastStepOfFirstCycle, double loss, double otherwise) : Callback
    {
        public override int Order => -28;

        public override void AfterTrainBatch(TrainingContext context) =>
            context.SmoothedLoss = context.Iteration - 1 == lastStepOfFirstCycle ? loss : otherwise;
    }

    [Theory]
    [InlineData(10, 100, 10, 1)]     // few epochs, a small validation set: every epoch
    [InlineData(250, 100, 10, 25)]   // 250 epochs: at most 10 rows
    [InlineData(250, 16, 1252, 105)] // MoteStrain: 1,252 validation series against 16 trained, 4 × 1252 / (3 × 16) = 104.3
    [InlineData(3, 16, 1252, 3)]     // never more than the fit: the last epoch is validated anyway
    public void Should_Validate_At_Most_10_Times_And_For_At_Most_A_Quarter_Of_The_Work(int epochs, int trained, int valid, int interval)
    {
        var budget = new TrainingBudget();

        Assert.Equal(interval, budget.ValidationInterval(epochs, trained, valid));
        Assert.True((epochs + interval - 1) / interval <= budget.MaximumValidations);
    }

    [Fact]
    public void Should_Validate_Every_Interval_And_After_The_Last_Epoch_With_Each_Row_Timing_Its_Epochs()
    {
        // Given a tiny network validating every 3 epochs, and a CSV logger
        using var leaks = new TensorLeakCheck();
        using var folder = new TempFolder();
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(32, 1, 24, 2, seed: 3), SyntheticData.Create(8, 1, 24, 2, seed: 4),
            new DataLoadersOptions { BatchSize = 16 });
        using var learner = Learner.Create(data, new LearnerOptions { Model = new InceptionTimeOptions { Depth = 1, Filters = 16 }, ValidationInterval = 3 });
        var csv = Path.Combine(folder.Path, "epochs.csv");

        // When it trains 7 epochs
        var fit = learner.FitOneCycle(7, 1e-3, callbacks: [new CsvLogger(csv)]);

        // Then epochs 2, 5 and the last (6) are validated, all 14 steps are taken, and the CSV has those rows
        Assert.Equal([2, 5, 6], fit.Epochs.Select(e => e.Epoch));
        Assert.Equal(7, fit.EpochsTrained);
        Assert.Equal(7, learner.LastFit!.Epochs); // what a saved model says it was trained for
        Assert.Equal(7 * 2, learner.OptimizerSteps);
        Assert.Equal(["2", "5", "6"], File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal(fit.Duration.TotalSeconds, fit.Epochs.Sum(e => e.Duration.TotalSeconds), 0.5);
    }

    [Fact]
    public void Should_Count_Patience_In_Validations_When_Validating_Every_Few_Epochs()
    {
        // Given early stopping with patience 1 on a metric that never changes, validating every 2 epochs
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(32, 1, 24, 2, seed: 3), SyntheticData.Create(8, 1, 24, 2, seed: 4),
            new DataLoadersOptions { BatchSize = 16 });
        var constant = new Metric("constant", _ => 1.0);
        using var learner = Learner.Create(data, new LearnerOptions
        {
            Model = new InceptionTimeOptions { Depth = 1, Filters = 16 },
            ValidationInterval = 2,
            Metrics = [constant],
        });

        // When it trains up to 10 epochs
        var fit = learner.FitOneCycle(10, 1e-3, callbacks: [new EarlyStopping(new MetricMonitor("constant"), patience: 1)]);

        // Then the first validation (epoch 1) sets the best, the second (epoch 3) does not improve it and stops the fit
        // there: 4 epochs of 2 steps, not a stop at epoch 2 on the stale value of epoch 1
        Assert.Equal([1, 3], fit.Epochs.Select(e => e.Epoch));
        Assert.Equal(4, fit.EpochsTrained);
        Assert.Equal(4 * 2, learner.OptimizerSteps);
        Assert.NotNull(fit.StopReason);
    }
}
