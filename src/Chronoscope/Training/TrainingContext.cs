using Chronoscope.Data;
using TorchSharp;

namespace Chronoscope.Training;

/// <summary>The state of a running fit, shared by the training loop and its callbacks.</summary>
public sealed class TrainingContext
{
    private readonly List<EpochResult> _history = [];
    private readonly List<string> _notes = [];
    private readonly IReadOnlyList<Callback> _callbacks;

    internal TrainingContext(Learner learner, int epochCount, IReadOnlyList<Callback> callbacks, CancellationToken cancellationToken)
    {
        Learner = learner;
        EpochCount = epochCount;
        BatchCount = learner.Data.Train.BatchCount;
        IterationCount = epochCount * BatchCount;
        _callbacks = callbacks;
        CancellationToken = cancellationToken;
        Momentum = learner.DefaultMomentum;
    }

    public Learner Learner { get; }

    /// <summary>The current epoch, from 0.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Epochs this fit will run unless stopped (fewer once a fit of two cycles ends after its first).</summary>
    public int EpochCount { get; private set; }

    /// <summary>Training batches completed in this fit.</summary>
    public int Iteration { get; internal set; }

    /// <summary>Training batches of the whole fit.</summary>
    public int IterationCount { get; private set; }

    /// <summary>The index of the current training batch within its epoch.</summary>
    public int BatchIndex { get; internal set; }

    /// <summary>Training batches per epoch.</summary>
    public int BatchCount { get; }

    /// <summary>The index of the current validation batch, and how many there are.</summary>
    public int ValidBatchIndex { get; internal set; }

    public int ValidBatchCount => Learner.Data.Valid.BatchCount;

    /// <summary>Progress through the fit, 0 before the first batch to 1 after the last (what schedules read).</summary>
    public double Position => IterationCount == 0 ? 1 : (double)Iteration / IterationCount;

    /// <summary>The learning rate of the next optimizer step; a scheduler sets it before each batch.</summary>
    public double LearningRate { get; set; }

    /// <summary>Adam's beta1 for the next step; a scheduler sets it before each batch (else the optimizer's default).</summary>
    public double Momentum { get; set; }

    /// <summary>The current training batch (valid between BeforeTrainBatch and AfterTrainBatch).</summary>
    public Batch? Batch { get; internal set; }

    /// <summary>The current batch's logits (B, K), valid in AfterLoss (the benchmarks' mixup computes its loss from them).</summary>
    internal torch.Tensor? Logits { get; set; }

    /// <summary>The current batch's loss tensor (valid in AfterLoss; a callback may replace it before the backward pass).</summary>
    public torch.Tensor? Loss { get; set; }

    /// <summary>The last training batch's loss.</summary>
    public double BatchLoss { get; internal set; }

    /// <summary>fastai's smoothed training loss: a debiased exponential moving average (beta 0.98) over the fit's batches.</summary>
    public double SmoothedLoss { get; internal set; }

    /// <summary>The epoch just validated (set before AfterValidate).</summary>
    public EpochResult? LastEpoch => _history.Count > 0 ? _history[^1] : null;

    /// <summary>Every epoch of this fit so far.</summary>
    public IReadOnlyList<EpochResult> History => _history;

    /// <summary>What the learner told the user during this fit.</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Cancels the fit from outside (Ctrl-C): it stops after the current batch, the model keeps its weights.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>True once a callback asked to stop; the fit ends after the current epoch.</summary>
    public bool StopRequested => StopReason is not null;

    /// <summary>Why the fit stopped early, or null.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Ends the fit after the current epoch, e.g. early stopping.</summary>
    public void RequestStop(string reason) => StopReason ??= reason;

    /// <summary>Tells every callback something the user should know.</summary>
    public void Note(string note)
    {
        _notes.Add(note);
        foreach (var callback in _callbacks)
            callback.OnNote(this, note);
    }

    internal void AddEpoch(EpochResult result) => _history.Add(result);

    /// <summary>
    /// Makes the current epoch the last, validated as a last epoch is: the planned end, not a stop (a fit of two cycles
    /// that needs no second, <see cref="SecondCycleGate"/>).
    /// </summary>
    internal void EndAfterEpoch()
    {
        EpochCount = Epoch + 1;
        IterationCount = EpochCount * BatchCount;
    }
}
