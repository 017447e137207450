using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;

namespace Chronoscope.Training;

public sealed partial class Learner
{
    // fastai's AvgSmoothLoss: an exponential moving average of the batch losses, debiased.
    private const double LossSmoothing = 0.98;

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs with the learning rate (and optionally momentum) following schedules
    /// over the fit, validating after each epoch. Stops early when a callback asks; <paramref name="cancellationToken"/>
    /// stops it after the current batch (the model keeps the weights reached).
    /// </summary>
    public FitResult Fit(int epochs, Schedule learningRate, Schedule? momentum = null, IEnumerable<Callback>? callbacks = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentNullException.ThrowIfNull(learningRate);
        if (Data.Train.BatchCount == 0)
            throw new InvalidOperationException("the training set is empty");

        var all = new List<Callback> { Recorder, new ParameterScheduler(learningRate, momentum) };
        all.AddRange(_callbacks);
        all.AddRange(callbacks ?? []);
        if (!all.OfType<StopOnNonFiniteLoss>().Any())
            all.Add(new StopOnNonFiniteLoss());
        all = [.. all.Select((c, i) => (c, i)).OrderBy(p => p.c.Order).ThenBy(p => p.i).Select(p => p.c)];

        _optimizer ??= CreateOptimizer();
        var context = new TrainingContext(this, epochs, all, cancellationToken);
        var fitWatch = Stopwatch.StartNew();
        var cancelled = false;
        var smoothed = 0.0;
        var smoothedCount = 0;

        Raise(all, c => c.BeforeFit(context));
        var calibrate = Options.BatchNormCalibration == BatchNormCalibration.Always
            || (Options.BatchNormCalibration == BatchNormCalibration.Auto && Data.Train.Count < Data.Train.BatchSize);
        if (Data.Train.Count < Data.Train.BatchSize)
        {
            context.Note(string.Create(CultureInfo.InvariantCulture,
                $"the training set has {Data.Train.Count} series, fewer than a batch of {Data.Train.BatchSize}: each epoch is one optimizer step on them all (dropping the incomplete batch, as fastai does, would train nothing)."));
        }
        if (calibrate)
        {
            context.Note(Options.BatchNormCalibration == BatchNormCalibration.Always
                ? "BatchNorm statistics are recomputed on the whole training set before each validation."
                : "with so few optimizer steps BatchNorm's running statistics lag the weights, so they are recomputed on the whole training set before each validation (BatchNormCalibration.Never, or --bn-calibration never on the command line, keeps PyTorch's running averages).");
        }

        try
        {
            for (var epoch = 0; epoch < epochs && !cancelled; epoch++)
            {
                context.Epoch = epoch;
                var epochWatch = Stopwatch.StartNew();
                Raise(all, c => c.BeforeEpoch(context));

                Model.train();
                var batches = Data.Train.BatchIndices(epoch);
                for (var b = 0; b < batches.Count; b++)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        cancelled = true;
                        break;
                    }
                    using var scope = torch.NewDisposeScope();
                    using var batch = Data.Train.GetBatch(batches[b]);
                    context.BatchIndex = b;
                    context.Batch = batch;
                    Raise(all, c => c.BeforeTrainBatch(context));

                    var logits = Model.call(batch.Inputs); // (B, K)
                    context.Loss = ComputeLoss(logits, batch.Targets!);
                    Raise(all, c => c.AfterLoss(context));
                    if (context.StopRequested)
                        break; // before the step: a non-finite loss never reaches the weights
                    _optimizer.ZeroGrad();
                    context.Loss.backward();
                    _optimizer.Step(context.LearningRate, context.Momentum);

                    context.BatchLoss = context.Loss.item<float>();
                    smoothed = LossSmoothing * smoothed + (1 - LossSmoothing) * context.BatchLoss;
                    context.SmoothedLoss = smoothed / (1 - Math.Pow(LossSmoothing, ++smoothedCount));
                    context.Iteration++;
                    Raise(all, c => c.AfterTrainBatch(context));
                    context.Batch = null;
                    context.Loss = null;
                }
                if (cancelled || context.StopRequested)
                    break;

                if (calibrate)
                    RecalibrateBatchNorm();
                Raise(all, c => c.BeforeValidate(context));
                var (validLoss, confusion) = Validate(context, all);
                var metrics = Options.Metrics.Select(m => KeyValuePair.Create(m.Name, m.Compute(confusion))).ToList();
                context.AddEpoch(new EpochResult(epoch, context.SmoothedLoss, validLoss, metrics, epochWatch.Elapsed, confusion));
                Raise(all, c => c.AfterValidate(context));
                Raise(all, c => c.AfterEpoch(context));
                if (context.StopRequested)
                    break;
            }
        }
        finally
        {
            Model.eval();
            LastFit = Summarize(context, learningRate);
            Raise(all, c => c.AfterFit(context));
        }
        return new FitResult(context.History, context.StopReason, cancelled, context.Notes, fitWatch.Elapsed);
    }

    /// <summary>Trains <paramref name="epochs"/> epochs at a constant learning rate (fastai's <c>fit</c>).</summary>
    public FitResult Fit(int epochs, double learningRate, IEnumerable<Callback>? callbacks = null, CancellationToken cancellationToken = default) =>
        Fit(epochs, Schedule.Constant(learningRate), null, callbacks, cancellationToken);

    /// <summary>The validation loss (weighted by batch size) and confusion matrix, in eval mode without gradients.</summary>
    private (double Loss, ConfusionMatrix Confusion) Validate(TrainingContext context, IReadOnlyList<Callback> callbacks)
    {
        Model.eval();
        using var noGrad = torch.no_grad();
        var confusion = new ConfusionMatrix(Data.Classes);
        var lossSum = 0.0;
        var batches = Data.Valid.BatchIndices(0);
        for (var b = 0; b < batches.Count; b++)
        {
            using var scope = torch.NewDisposeScope();
            using var batch = Data.Valid.GetBatch(batches[b]);
            var logits = Model.call(batch.Inputs); // (B, K)
            lossSum += ComputeLoss(logits, batch.Targets!).item<float>() * batch.Count;
            var predicted = logits.argmax(1).cpu().data<long>().ToArray();
            var actual = batch.Targets!.cpu().data<long>().ToArray();
            for (var i = 0; i < predicted.Length; i++)
                confusion.Add((int)actual[i], (int)predicted[i]);
            context.ValidBatchIndex = b;
            Raise(callbacks, c => c.AfterValidBatch(context));
        }
        return (Data.Valid.Count == 0 ? double.NaN : lossSum / Data.Valid.Count, confusion);
    }

    /// <summary>
    /// Replaces BatchNorm's running statistics by their exact average over every training series under the current
    /// weights (PyTorch's cumulative mode, momentum = None), one forward pass in training mode without gradients.
    /// </summary>
    internal void RecalibrateBatchNorm()
    {
        var norms = Model.modules().OfType<BatchNorm1d>().ToList();
        var momenta = norms.Select(n => n.momentum).ToList();
        var wasTraining = Model.training;
        try
        {
            foreach (var norm in norms)
            {
                norm.momentum = null;
                norm.reset_running_stats();
            }
            Model.train();
            using var noGrad = torch.no_grad();
            var order = Enumerable.Range(0, Data.Train.Count).ToArray();
            foreach (var chunk in order.Chunk(Data.Train.BatchSize))
            {
                using var scope = torch.NewDisposeScope();
                using var batch = Data.Train.GetBatch(chunk);
                Model.call(batch.Inputs);
            }
        }
        finally
        {
            for (var i = 0; i < norms.Count; i++)
                norms[i].momentum = momenta[i];
            Model.train(wasTraining);
        }
    }

    private TrainingSummary? Summarize(TrainingContext context, Schedule learningRate)
    {
        if (context.LastEpoch is not { } last)
            return LastFit;
        return new TrainingSummary
        {
            Epochs = context.History.Count,
            MaxLearningRate = Enumerable.Range(0, 101).Max(i => learningRate.At(i / 100.0)),
            BatchSize = Data.Train.BatchSize,
            Seed = Options.Seed,
            Split = Data.Split,
            TrainCount = Data.Train.Count,
            ValidCount = Data.Valid.Count,
            TrainLoss = last.TrainLoss,
            ValidLoss = last.ValidLoss,
            Metrics = last.Metrics.ToDictionary(),
        };
    }

    private static void Raise(IReadOnlyList<Callback> callbacks, Action<Callback> action)
    {
        foreach (var callback in callbacks)
            action(callback);
    }
}
