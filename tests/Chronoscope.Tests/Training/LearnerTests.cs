using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;
using TorchSharp;

namespace Chronoscope.Tests.Training;

public sealed class LearnerTests
{
    private static DataLoaders SmallData(int trainCount = 96, int batchSize = 32) =>
        DataLoaders.FromDatasets(
            SyntheticData.Create(trainCount, 1, 32, 2, seed: 3),
            SyntheticData.Create(40, 1, 32, 2, seed: 4),
            new DataLoadersOptions { BatchSize = batchSize });

    [Fact]
    public void Should_Learn_An_Easy_Problem_And_Record_Every_Batch()
    {
        // Given sines of frequency 1 vs 2 in noise, and BatchNorm statistics recomputed before each validation
        // (with 3 steps per epoch PyTorch's running averages would lag the weights for a dozen epochs)
        using var leaks = new TensorLeakCheck();
        using var data = SmallData();
        using var learner = Learner.Create(data, new LearnerOptions { BatchNormCalibration = BatchNormCalibration.Always });

        // When it trains 6 epochs of one-cycle
        var fit = learner.FitOneCycle(6, 3e-3);

        // Then the loss falls, the classes separate, and the recorder has one entry per batch
        Assert.Equal(6, fit.Epochs.Count);
        Assert.True(fit.Last!.TrainLoss < fit.Epochs[0].TrainLoss, $"train loss {fit.Epochs[0].TrainLoss} -> {fit.Last.TrainLoss}");
        Assert.True(fit.Last["accuracy"] >= 0.9, $"accuracy {fit.Last["accuracy"]}");
        Assert.Equal(6 * 3, learner.Recorder.Losses.Count);
        Assert.Equal(6 * 3, learner.OptimizerSteps);
        Assert.Equal([3, 6, 9, 12, 15, 18], learner.Recorder.EpochEndIterations);
        Assert.Equal(Schedule.OneCycleLearningRate(3e-3).At(0), learner.Recorder.LearningRates[0], 1e-15);
        Assert.Equal(Schedule.OneCycleLearningRate(3e-3).At(17 / 18.0), learner.Recorder.LearningRates[^1], 1e-15);
        Assert.Equal(fit.Last.Confusion.Accuracy, fit.Last["accuracy"]);
        Assert.Equal(40, fit.Last.Confusion.Total);
        Assert.False(learner.Model.training);
    }

    [Fact]
    public void Should_Count_A_Validation_Series_Without_A_Finite_Output_As_Unpredicted()
    {
        // Given a validation set whose third series overflows the network (every value 3e38)
        using var leaks = new TensorLeakCheck();
        var valid = SyntheticData.Create(40, 1, 32, 2, seed: 4);
        var values = valid.Values.ToArray();
        Array.Fill(values, 3e38f, 2 * 32, 32);
        using var data = DataLoaders.FromDatasets(SyntheticData.Create(96, 1, 32, 2, seed: 3),
            new TimeSeriesDataset("overflow", values, 40, 1, 32, [.. valid.Labels!]), new DataLoadersOptions { BatchSize = 32 });
        using var learner = Learner.Create(data);

        // When it trains one epoch and validates
        var confusion = learner.FitOneCycle(1, 1e-3).Last!.Confusion;

        // Then that series is in the total and its class's count but in no cell: wrong, not its output's argmax class
        var predictions = learner.Predict(data.Valid);
        Assert.False(predictions.HasPrediction(2));
        Assert.Equal(1, confusion.Unpredicted);
        Assert.Equal(1, confusion.UnpredictedCount(valid.LabelIndices![2]));
        Assert.Equal(40, confusion.Total);
        Assert.Equal(predictions.Accuracy!.Value, confusion.Accuracy, 1e-12);
    }

    [Fact]
    public void Should_Smooth_The_Training_Loss_As_fastai()
    {
        using var leaks = new TensorLeakCheck();
        using var data = SmallData();
        using var learner = Learner.Create(data);

        learner.FitOneCycle(2, 1e-3);

        // Debiased EMA (beta 0.98) of the recorded batch losses
        var average = 0.0;
        var losses = learner.Recorder.Losses;
        for (var i = 0; i < losses.Count; i++)
        {
            average = 0.98 * average + 0.02 * losses[i];
            Assert.Equal(average / (1 - Math.Pow(0.98, i + 1)), learner.Recorder.SmoothedLosses[i], 1e-12);
        }
        Assert.Equal(learner.Recorder.SmoothedLosses[^1], learner.Recorder.Epochs[^1].TrainLoss);
    }

    [Fact]
    public void Should_Repeat_Losses_Exactly_With_The_Same_Seed()
    {
        using var leaks = new TensorLeakCheck();
        double[] Run()
        {
            using var data = SmallData();
            using var learner = Learner.Create(data, new LearnerOptions { Seed = 5 });
            return [.. learner.FitOneCycle(2, 1e-3).Epochs.SelectMany(e => new[] { e.TrainLoss, e.ValidLoss })];
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Should_Compute_The_Label_Smoothing_Loss_As_Its_Formula()
    {
        // (1-ε)·NLL + ε·mean over classes of −log p, ε = 0.1
        using var leaks = new TensorLeakCheck();
        using var data = SmallData();
        using var learner = Learner.Create(data);
        using var scope = torch.NewDisposeScope();
        var logits = torch.tensor(new float[] { 2f, -1f, 0.5f, 0.5f }, [2, 2]);
        var targets = torch.tensor(new long[] { 1, 0 });

        var loss = learner.ComputeLoss(logits, targets).item<float>();

        double LogSoftmax(double a, double b) => a - Math.Log(Math.Exp(a) + Math.Exp(b));
        var expected = new[] { (2.0, -1.0, 1), (0.5, 0.5, 0) }.Average(r =>
        {
            var logP = new[] { LogSoftmax(r.Item1, r.Item2), LogSoftmax(r.Item2, r.Item1) };
            return 0.9 * -logP[r.Item3] + 0.1 * -logP.Average();
        });
        Assert.Equal(expected, loss, 1e-6);
    }

    [Fact]
    public void Should_Call_Callbacks_In_Order_Around_Every_Phase()
    {
        using var leaks = new TensorLeakCheck();
        using var data = SmallData();
        using var learner = Learner.Create(data);
        var log = new List<string>();
        var late = new Probe("late", 5, log);
        var early = new Probe("early", -5, log);

        learner.Fit(1, 1e-3, [late, early]);

        Assert.Equal("early:BeforeFit", log[0]);
        Assert.Equal("late:BeforeFit", log[1]);
        Assert.Equal(3, log.Count(l => l == "late:AfterTrainBatch"));
        Assert.Equal(2, log.Count(l => l == "late:AfterValidBatch"));
        var order = log.Where(l => l.StartsWith("early:", StringComparison.Ordinal)).Select(l => l[6..]).Distinct().ToList();
        Assert.Equal(["BeforeFit", "BeforeEpoch", "BeforeTrainBatch", "AfterLoss", "AfterTrainBatch", "BeforeValidate", "AfterValidBatch", "AfterValidate", "AfterEpoch", "AfterFit"], order);
    }

    [Fact]
    public void Should_Stop_Early_When_The_Monitor_Stops_Improving()
    {
        // Given a learning rate of zero: nothing changes, so the validation loss never improves after epoch 0
        using var leaks = new TensorLeakCheck();
        using var data = SmallData();
        using var learner = Learner.Create(data);

        var fit = learner.Fit(10, 0.0, [new EarlyStopping(patience: 2)]);

        Assert.Equal(3, fit.Epochs.Count);
        Assert.Contains("valid_loss did not improve for 2 epochs", fit.StopReason);
    }

    [Fact]
    public void Should_Stop_After_The_Current_Batch_When_Cancelled()
    {
        using var leaks = new TensorLeakCheck();
        using var data = SmallData();
        using var learner = Learner.Create(data);
        using var cancellation = new CancellationTokenSource();

        var fit = learner.Fit(5, 1e-3, [new CancelAfter(4, cancellation)], cancellation.Token);

        Assert.True(fit.Cancelled);
        Assert.Equal(4, learner.OptimizerSteps);
        Assert.Single(fit.Epochs);
    }

    [Fact]
    public void Should_Train_The_Only_Partial_Batch_And_Say_So()
    {
        // Given 20 training series with batches of 32 (like GunPoint's 50 with 64)
        using var leaks = new TensorLeakCheck();
        using var data = SmallData(trainCount: 20, batchSize: 32);
        using var learner = Learner.Create(data);

        var fit = learner.FitOneCycle(2, 1e-3);

        Assert.Equal(2, learner.OptimizerSteps);
        Assert.Contains(fit.Notes, n => n.Contains("fewer than a batch of 32", StringComparison.Ordinal));
        Assert.Contains(fit.Notes, n => n.Contains("recomputed on the whole training set", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Make_Running_Statistics_Equal_The_Training_Sets_After_Recalibration()
    {
        // Given a trained model and a training set that fits in one batch
        using var leaks = new TensorLeakCheck();
        using var data = SmallData(trainCount: 20, batchSize: 32);
        using var learner = Learner.Create(data, new LearnerOptions { BatchNormCalibration = BatchNormCalibration.Never });
        learner.FitOneCycle(2, 1e-3);
        using var scope = torch.NewDisposeScope();
        using var batch = data.Train.GetBatch([.. Enumerable.Range(0, 20)]);

        // When BatchNorm is recalibrated
        learner.RecalibrateBatchNorm();

        // Then eval mode (running statistics) computes what train mode (batch statistics) does, up to the n/(n-1) of
        // the stored unbiased variance compounding through 8 BatchNorm layers
        using var noGrad = torch.no_grad();
        learner.Model.eval();
        var evaluated = learner.Model.call(batch.Inputs);
        learner.Model.train();
        var batchStatistics = learner.Model.call(batch.Inputs);
        learner.Model.eval();
        var difference = (evaluated - batchStatistics).abs().max().item<float>();
        Assert.True(difference < 0.03, $"largest difference {difference}");
        Assert.Equal(evaluated.argmax(1).data<long>().ToArray(), batchStatistics.argmax(1).data<long>().ToArray());
    }

    [Fact]
    public void Should_Restore_The_Model_After_The_Learning_Rate_Finder()
    {
        using var leaks = new TensorLeakCheck();
        using var data = SmallData();
        using var learner = Learner.Create(data);
        using var scope = torch.NewDisposeScope();
        var before = learner.Model.parameters().Select(p => p.clone()).ToList();

        var progress = new RecordingProgress<TrainingProgress>();
        var result = learner.FindLearningRate(iterations: 30, progress: progress);

        Assert.InRange(result.LearningRates.Count, 2, 30);
        // one progress report per iteration run, counting up to the planned 30
        Assert.Equal(Enumerable.Range(1, result.LearningRates.Count), progress.Events.Select(p => p.Batch));
        Assert.All(progress.Events, p => Assert.Equal((TrainingPhase.Training, 30), (p.Phase, p.BatchCount)));
        Assert.Equal(1e-7, result.LearningRates[0], 1e-18);
        Assert.All(learner.Model.parameters().Zip(before), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 0)));
        Assert.Equal(0, learner.OptimizerSteps);
        Assert.Contains(result.Suggested, result.LearningRates);
    }

    [Fact]
    public void Should_Suggest_The_Middle_Of_The_Longest_Descent()
    {
        // Given a loss curve flat, then falling over points 3..9, then rising
        double[] losses = [2, 2.1, 2.05, 2.0, 1.8, 1.5, 1.2, 0.7, 0.6, 0.55, 0.8, 1.5, 4];
        double[] rates = [.. Enumerable.Range(0, losses.Length).Select(i => Math.Pow(10, i - 7))];

        var result = Learner.Suggest(rates, losses);

        // Then: the valley halfway along 2.1 → 0.55 (points 1..9), the minimum (point 9) over ten, the steepest drop at 6→7
        Assert.Equal(rates[5], result.Valley);
        Assert.Equal(rates[9] / 10, result.MinimumOverTen, 1e-15);
        Assert.Equal(rates[6], result.Steepest);
    }

    [Fact]
    public void Should_Log_Every_Epoch_To_Csv_And_Keep_The_Best_Model()
    {
        // Given a fit with a CSV log and best-model saving on accuracy
        using var leaks = new TensorLeakCheck();
        using var folder = new TempFolder();
        using var data = SmallData();
        using var learner = Learner.Create(data, new LearnerOptions { Metrics = [Metric.Accuracy, Metric.MacroF1] });
        var csv = Path.Combine(folder.Path, "epochs.csv");
        var best = new SaveBestModel(Path.Combine(folder.Path, "best.chronoscope"), new MetricMonitor("accuracy"));

        var fit = learner.FitOneCycle(3, 1e-3, callbacks: [new CsvLogger(csv), best]);

        // Then the CSV has a header and one row per epoch, and the saved model is the best epoch's
        var lines = File.ReadAllLines(csv);
        Assert.Equal("epoch,train_loss,valid_loss,accuracy,f1_macro,seconds", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("2,", lines[3], StringComparison.Ordinal);
        var bestAccuracy = fit.Epochs.Max(e => e["accuracy"]);
        Assert.Equal(fit.Epochs.First(e => e["accuracy"] == bestAccuracy).Epoch, best.BestEpoch); // the first to reach it
        using var saved = TimeSeriesClassifier.Load(best.Path);
        Assert.Equal(data.Classes, saved.Classes);
    }

    [Fact]
    public void Should_Suggest_From_The_Sweep_Without_Its_First_Tenth_And_Last_Five_Points_As_fastai()
    {
        // Given 30 points: a dip at point 1 (noise at tiny rates), a descent over points 5..20, then divergence whose
        // noisy tail has the steepest drop of all (points 26 → 27) and ends in NaN
        var losses = Enumerable.Range(0, 30).Select(i => i switch
        {
            1 => 1.0,
            < 5 => 2.0,
            <= 20 => 2.0 - (0.1 * (i - 4)),
            26 => 9.0,
            27 => 3.0,
            29 => double.NaN,
            _ => 0.4 + (0.5 * (i - 20)),
        }).ToArray();
        var rates = Enumerable.Range(0, 30).Select(i => Math.Pow(10, (i / 4.0) - 7)).ToArray();

        // When suggestions skip the first 3 (a tenth of 30) and the last 5 points, as lr_find does
        var result = Learner.Suggest(rates, losses, skipStart: 3, skipEnd: 5);

        // Then the noise at either end is ignored: the minimum is the end of the descent (point 20), the steepest drop is
        // inside it, and the valley is halfway along it (points 3..20 fall: halfway is 11); the whole sweep is kept
        Assert.Equal(rates[20] / 10, result.MinimumOverTen, 1e-15);
        Assert.InRange(Array.IndexOf(rates, result.Steepest), 4, 19);
        Assert.Equal(rates[11], result.Valley);
        Assert.Equal(30, result.Losses.Count);
        // and without the skipping, the divergence's noise would have won
        Assert.Equal(rates[26], Learner.Suggest(rates[..29], losses[..29]).Steepest);
    }

    [Fact]
    public void Should_Name_The_Callback_And_Event_That_Failed()
    {
        // Given a callback that throws in AfterEpoch
        using var leaks = new TensorLeakCheck();
        using var data = SmallData();
        using var learner = Learner.Create(data);

        // When the fit reaches that event
        var error = Assert.Throws<CallbackException>(() => learner.FitOneCycle(2, 1e-3, callbacks: [new FailIn("AfterEpoch")]));

        // Then the error names both, keeps the cause, and the fit still ended (the model is in eval mode)
        Assert.Equal(("FailIn", "AfterEpoch"), (error.Callback, error.EventName));
        Assert.Equal("the FailIn callback failed in AfterEpoch: disk full", error.Message);
        Assert.IsType<IOException>(error.InnerException);
        Assert.False(learner.Model.training);
    }

    [Fact]
    public void Should_End_The_Fit_Before_Validating_When_Stopped_During_Training_Batches()
    {
        // Given a callback that asks to stop after the second training batch of the first epoch (3 batches an epoch)
        using var leaks = new TensorLeakCheck();
        using var data = SmallData();
        using var learner = Learner.Create(data);
        var log = new List<string>();

        // When fitting
        var fit = learner.FitOneCycle(3, 1e-3, callbacks: [new StopAfter(2), new Probe("p", 0, log)]);

        // Then no epoch was validated, exactly two batches ran, and AfterFit came last
        Assert.Empty(fit.Epochs);
        Assert.Equal("stop", fit.StopReason);
        Assert.Equal(2, log.Count(e => e == "p:AfterTrainBatch"));
        Assert.DoesNotContain("p:BeforeValidate", log);
        Assert.Equal("p:AfterFit", log[^1]);
        Assert.Equal(2, learner.OptimizerSteps);
    }

    private sealed class FailIn(string eventName) : Callback
    {
        public override void AfterEpoch(TrainingContext context)
        {
            if (eventName == nameof(AfterEpoch))
                throw new IOException("disk full");
        }
    }

    private sealed class StopAfter(int iterations) : Callback
    {
        public override void AfterTrainBatch(TrainingContext context)
        {
            if (context.Iteration == iterations)
                context.RequestStop("stop");
        }
    }

    private sealed class Probe(string name, int order, List<string> log) : Callback
    {
        public override int Order => order;
        public override void BeforeFit(TrainingContext context) => log.Add($"{name}:BeforeFit");
        public override void BeforeEpoch(TrainingContext context) => log.Add($"{name}:BeforeEpoch");
        public override void BeforeTrainBatch(TrainingContext context) => log.Add($"{name}:BeforeTrainBatch");
        public override void AfterLoss(TrainingContext context) => log.Add($"{name}:AfterLoss");
        public override void AfterTrainBatch(TrainingContext context) => log.Add($"{name}:AfterTrainBatch");
        public override void BeforeValidate(TrainingContext context) => log.Add($"{name}:BeforeValidate");
        public override void AfterValidBatch(TrainingContext context) => log.Add($"{name}:AfterValidBatch");
        public override void AfterValidate(TrainingContext context) => log.Add($"{name}:AfterValidate");
        public override void AfterEpoch(TrainingContext context) => log.Add($"{name}:AfterEpoch");
        public override void AfterFit(TrainingContext context) => log.Add($"{name}:AfterFit");
    }

    private sealed class CancelAfter(int steps, CancellationTokenSource source) : Callback
    {
        public override void AfterTrainBatch(TrainingContext context)
        {
            if (context.Iteration == steps)
                source.Cancel();
        }
    }
}
