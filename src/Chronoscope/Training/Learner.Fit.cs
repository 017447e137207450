using System.Diagnostics;
using Chronoscope.Inference;
using Chronoscope.Models;
using TorchSharp;
using TorchSharp.Modules;

namespace Chronoscope.Training;

public sealed partial class Learner
{
    /// <summary>The least training time between two returns of free heap pages (<see cref="TorchRuntime.ReleaseFreeMemory"/>).</summary>
    private static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Free heap beyond which it is returned within an epoch too, between two batches (at most every
    /// <see cref="TrimInterval"/>): a guard against a heap that runs away within an epoch. Returning free heap costs the
    /// page faults of refilling it, since the next batches use most of it again: at 512 MiB (FordA size, bf16: ~1.4 GB
    /// free between batches) it took 45 s an epoch against 35 s at 2 GiB on a virtual AMD EPYC (Zen 5), where memory
    /// given back is slow to fault in, for a peak resident memory 5% lower (1.75 against 1.84 GB); on an Intel machine
    /// ~8% of the epoch's time for 1.54 GB against 1.8-2.1 (docs/speed.md). Every epoch still ends with a return.
    /// </summary>
    private const long FreeHeapLimit = 2L << 30;

    /// <summary>
    /// The least training time between two collections of the .NET heap between batches (<see cref="CollectionPause.Renew"/>),
    /// whose finalizers free the native Scalars TorchSharp leaves to them: every step where steps are long enough for
    /// those small blocks to fragment glibc's heap (FordA size, before the block cache: 1.36-1.39 GB of heap against
    /// 1.22 GB with a collection between batches; docs/speed.md), every few where they take tens of milliseconds.
    /// </summary>
    private static readonly TimeSpan CollectionInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs with the learning rate (and optionally momentum) following schedules
    /// over the fit, validating after each epoch. Stops early when a callback asks; <paramref name="cancellationToken"/>
    /// stops it after the current batch (the model keeps the weights reached).
    /// </summary>
    /// <exception cref="CallbackException">A callback failed; it names the callback and the event.</exception>
    public FitResult Fit(int epochs, Schedule learningRate, Schedule? momentum = null, IEnumerable<Callback>? callbacks = null, CancellationToken cancellationToken = default) =>
        Fit(epochs, learningRate, momentum, callbacks, cancellationToken, Options.ValidationInterval);

    private FitResult Fit(int epochs, Schedule learningRate, Schedule? momentum, IEnumerable<Callback>? callbacks, CancellationToken cancellationToken, int validationInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentNullException.ThrowIfNull(learningRate);
        _optimizer ??= CreateOptimizer();
        List<Callback> all =
        [
            Recorder, new ParameterScheduler(learningRate, momentum), new LossSmoother(),
            new BatchNormCalibrator(Options.BatchNormCalibration), new ScaleSpreadCheck(), new UnderfitCheck(), new FitSummarizer(learningRate),
        ];
        all.AddRange(_callbacks);
        all.AddRange(callbacks ?? []);
        if (all.Contains(null!))
            throw new ArgumentException(_callbacks.Contains(null!) ? "Learner.Callbacks holds a null callback" : "the callbacks hold a null one", nameof(callbacks));
        if (!all.OfType<StopOnNonFiniteLoss>().Any())
            all.Add(new StopOnNonFiniteLoss());
        return Run(epochs, all, _optimizer, validationInterval, cancellationToken);
    }

    /// <summary>
    /// The training loop: each phase (fit, epoch, training batch, loss, validation) bracketed by its callbacks' events,
    /// which run in ascending <see cref="Callback.Order"/>. A callback's <see cref="TrainingContext.RequestStop"/> ends
    /// the fit after the current batch, before the epoch's validation when asked during training batches. It validates
    /// after every <c>validationInterval</c> epochs and after the last; 0 never validates.
    /// </summary>
    private FitResult Run(int epochs, List<Callback> callbacks, AdaptiveOptimizer optimizer, int validationInterval, CancellationToken cancellationToken)
    {
        // The network's flags are the fit's until it returns: a prediction or an explanation from another thread waits.
        using var use = Model.UseLock.EnterScope();
        if (Data.Train.BatchCount == 0)
            throw new InvalidOperationException("the training set is empty");
        // Its mean loss over no series would read as NaN, that is as divergence.
        if (validationInterval > 0 && Data.Valid.Count == 0)
            throw new InvalidOperationException("the validation set is empty: give validation series (a test file, or a larger ValidPercent of a pooled split)");
        // Refused before any batch when a step cannot fit in all the memory there is; told once when it strains it.
        var (batchNote, memoryWarning) = TakeMemoryNotes();
        using var pause = CollectionPause.Begin(); // collections only between batches
        IReadOnlyList<Callback> all = [.. callbacks.Select((c, i) => (c, i)).OrderBy(p => p.c.Order).ThenBy(p => p.i).Select(p => p.c)];
        var context = new TrainingContext(this, epochs, all, cancellationToken);
        var fitWatch = Stopwatch.StartNew();
        var rowWatch = Stopwatch.StartNew(); // a row's time covers every epoch since the previous validation
        var trimWatch = Stopwatch.StartNew();
        var collectionWatch = Stopwatch.StartNew();
        var cancelled = false;
        var trained = 0;
        // The free heap pages back to the system (fragmentation), at most every few seconds (epochs of a fraction of a
        // second would pay the page faults again and again): after each epoch, and between batches above the limit.
        void ReleaseFreeMemoryWhenDue(bool onlyAboveLimit)
        {
            if (trimWatch.Elapsed < TrimInterval || (onlyAboveLimit && !(TorchRuntime.Heap()?.Free > FreeHeapLimit)))
                return;
            TorchRuntime.ReleaseFreeMemory();
            trimWatch.Restart();
        }

        // Training steps and BatchNorm recalibration in the learner's precision; validation in float32 (Validate).
        Model.ConvolutionType = Precision == TrainingPrecision.BFloat16 ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32;
        Raise(all, nameof(Callback.BeforeFit), c => c.BeforeFit(context));
        foreach (var note in new[] { batchNote, memoryWarning }.OfType<string>())
            context.Note(note);
        try
        {
            for (var epoch = 0; epoch < context.EpochCount && !cancelled && !context.StopRequested; epoch++)
            {
                context.Epoch = epoch;
                Raise(all, nameof(Callback.BeforeEpoch), c => c.BeforeEpoch(context));

                Model.train();
                var batches = Data.Train.BatchIndices(epoch);
                for (var b = 0; b < batches.Count && !context.StopRequested; b++)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        cancelled = true;
                        break;
                    }
                    var collectionDue = collectionWatch.Elapsed >= CollectionInterval;
                    pause.Renew(collectionDue); // before the next batch's tensors take the heap's holes
                    if (collectionDue)
                        collectionWatch.Restart();
                    ReleaseFreeMemoryWhenDue(onlyAboveLimit: true); // the previous batch's tensors are freed by now
                    using var scope = torch.NewDisposeScope();
                    using var batch = Data.Train.GetBatch(batches[b]);
                    context.BatchIndex = b;
                    context.Batch = batch;
                    Raise(all, nameof(Callback.BeforeTrainBatch), c => c.BeforeTrainBatch(context));

                    var logits = Model.call(batch.Inputs); // (B, K)
                    context.Logits = logits;
                    context.Loss = ComputeLoss(logits, batch.Targets!);
                    Raise(all, nameof(Callback.AfterLoss), c => c.AfterLoss(context));
                    if (context.StopRequested)
                        break; // before the step: a non-finite loss never reaches the weights
                    optimizer.ZeroGrad();
                    context.Loss.backward();
                    optimizer.Step(context.LearningRate, context.Momentum);

                    context.BatchLoss = context.Loss.item<float>();
                    context.Iteration++;
                    Raise(all, nameof(Callback.AfterTrainBatch), c => c.AfterTrainBatch(context));
                    context.Batch = null;
                    context.Logits = null;
                    context.Loss = null;
                }
                if (cancelled || context.StopRequested)
                    break;
                trained++;

                if (validationInterval > 0 && (epoch % validationInterval == validationInterval - 1 || epoch == context.EpochCount - 1))
                {
                    Raise(all, nameof(Callback.BeforeValidate), c => c.BeforeValidate(context));
                    var (validLoss, confusion) = Validate(context, all, pause);
                    var metrics = Options.Metrics.Select(m => KeyValuePair.Create(m.Name, m.Compute(confusion))).ToList();
                    context.AddEpoch(new EpochResult(epoch, context.SmoothedLoss, validLoss, metrics, rowWatch.Elapsed, confusion));
                    rowWatch.Restart();
                    Raise(all, nameof(Callback.AfterValidate), c => c.AfterValidate(context));
                }
                ReleaseFreeMemoryWhenDue(onlyAboveLimit: false);
                Raise(all, nameof(Callback.AfterEpoch), c => c.AfterEpoch(context));
            }
        }
        finally
        {
            Model.eval();
            Raise(all, nameof(Callback.AfterFit), c => c.AfterFit(context));
            Model.ConvolutionType = torch.ScalarType.Float32; // what the classifier predicts and explains with
            TensorBlockCache.Release(); // the steps' blocks, kept for the next step, back to the system
        }
        return new FitResult(context.History, context.StopReason, cancelled, context.Notes, fitWatch.Elapsed, trained);
    }

    /// <summary>Trains <paramref name="epochs"/> epochs at a constant learning rate (fastai's <c>fit</c>).</summary>
    public FitResult Fit(int epochs, double learningRate, IEnumerable<Callback>? callbacks = null, CancellationToken cancellationToken = default) =>
        Fit(epochs, Schedule.Constant(learningRate), null, callbacks, cancellationToken);

    /// <summary>The validation loss (weighted by batch size) and confusion matrix, in eval mode without gradients.</summary>
    private (double Loss, ConfusionMatrix Confusion) Validate(TrainingContext context, IReadOnlyList<Callback> callbacks, CollectionPause pause)
    {
        Model.eval();
        using var noGrad = torch.no_grad();
        using var exact = new ConvolutionTypeScope([Model], torch.ScalarType.Float32); // the saved model's numbers, whatever the training precision
        var confusion = new ConfusionMatrix(Data.Classes);
        var lossSum = 0.0;
        var batches = Data.Valid.BatchIndices(0);
        // Long series are validated in passes of fewer series than a batch, as predictions are (same loss and counts).
        var validation = Data.Valid.Count == 0 ? 1 : MemoryBudget.FitPasses(Classifier.PredictionMemory(Data.Valid)).SeriesPerPass;
        for (var b = 0; b < batches.Count; b++)
        {
            foreach (var pass in batches[b].Chunk(validation))
            {
                pause.Renew(due: false);
                using var scope = torch.NewDisposeScope();
                using var batch = Data.Valid.GetBatch(pass);
                var logits = Model.call(batch.Inputs); // (B, K)
                lossSum += ComputeLoss(logits, batch.Targets!).item<float>() * batch.Count;
                var predicted = logits.argmax(1).cpu().data<long>().ToArray();
                var finite = logits.isfinite().all(1).cpu().data<bool>().ToArray();
                var actual = batch.Targets!.cpu().data<long>().ToArray();
                for (var i = 0; i < predicted.Length; i++)
                {
                    // A series whose output is not finite has no class (as in Predictions): counted wrong, in no cell.
                    if (finite[i])
                        confusion.Add((int)actual[i], (int)predicted[i]);
                    else
                        confusion.AddUnpredicted((int)actual[i]);
                }
            }
            context.ValidBatchIndex = b;
            Raise(callbacks, nameof(Callback.AfterValidBatch), c => c.AfterValidBatch(context));
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

    /// <summary>What <see cref="LastFit"/> says after a fit that validated at least once.</summary>
    internal void Summarize(TrainingContext context, Schedule learningRate)
    {
        if (context.LastEpoch is not { } last)
            return;
        LastFit = new TrainingSummary
        {
            Epochs = last.Epoch + 1, // not the table's rows: a long fit validates every few epochs
            MaxLearningRate = learningRate.Peak ?? Enumerable.Range(0, 101).Max(i => learningRate.At(i / 100.0)), // a schedule of one's own: sampled
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

    /// <summary>Runs one event on every callback; a callback that fails is named, with the event, in a <see cref="CallbackException"/>.</summary>
    private static void Raise(IReadOnlyList<Callback> callbacks, string eventName, Action<Callback> action)
    {
        foreach (var callback in callbacks)
        {
            try
            {
                action(callback);
            }
            catch (Exception e) when (e is not OperationCanceledException and not CallbackException)
            {
                throw new CallbackException(callback.GetType().Name, eventName, e);
            }
        }
    }
}
