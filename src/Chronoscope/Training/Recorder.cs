namespace Chronoscope.Training;

/// <summary>Keeps what happened during the last fit: per batch the loss, smoothed loss, learning rate and momentum; per epoch the table row.</summary>
public sealed class Recorder : Callback
{
    private readonly List<double> _losses = [];
    private readonly List<double> _smoothedLosses = [];
    private readonly List<double> _learningRates = [];
    private readonly List<double> _momentums = [];
    private readonly List<EpochResult> _epochs = [];
    private readonly List<int> _epochEndIterations = [];
    private readonly List<string> _notes = [];

    public override int Order => -10;

    /// <summary>Each training batch's loss.</summary>
    public IReadOnlyList<double> Losses => _losses;

    /// <summary>The smoothed training loss after each batch.</summary>
    public IReadOnlyList<double> SmoothedLosses => _smoothedLosses;

    /// <summary>The learning rate of each training batch.</summary>
    public IReadOnlyList<double> LearningRates => _learningRates;

    /// <summary>The momentum (beta1) of each training batch.</summary>
    public IReadOnlyList<double> Momentums => _momentums;

    /// <summary>The epoch table.</summary>
    public IReadOnlyList<EpochResult> Epochs => _epochs;

    /// <summary>
    /// The training batches done when each epoch was validated (e.g. 4, 8, 12 for 4 batches an epoch): where each
    /// epoch's validation loss sits on the iteration axis of <see cref="Losses"/>, as fastai's <c>Recorder.iters</c>.
    /// </summary>
    public IReadOnlyList<int> EpochEndIterations => _epochEndIterations;

    /// <summary>Notes of the fit.</summary>
    public IReadOnlyList<string> Notes => _notes;

    public override void BeforeFit(TrainingContext context)
    {
        _losses.Clear();
        _smoothedLosses.Clear();
        _learningRates.Clear();
        _momentums.Clear();
        _epochs.Clear();
        _epochEndIterations.Clear();
        _notes.Clear();
    }

    public override void AfterTrainBatch(TrainingContext context)
    {
        _losses.Add(context.BatchLoss);
        _smoothedLosses.Add(context.SmoothedLoss);
        _learningRates.Add(context.LearningRate);
        _momentums.Add(context.Momentum);
    }

    public override void AfterValidate(TrainingContext context)
    {
        _epochs.Add(context.LastEpoch!);
        _epochEndIterations.Add(_losses.Count);
    }

    public override void OnNote(TrainingContext context, string note) => _notes.Add(note);
}
