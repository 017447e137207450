namespace Chronoscope.Training;

/// <summary>
/// Hooks into the training loop. Every phase of a fit is bracketed by a typed event; callbacks run in
/// ascending <see cref="Order"/> (then in the order they were added), all reading and writing one <see cref="TrainingContext"/>.
/// </summary>
public abstract class Callback
{
    /// <summary>Lower runs first. Schedulers use -20 (they set the learning rate before anyone reads it), the recorder -10.</summary>
    public virtual int Order => 0;

    public virtual void BeforeFit(TrainingContext context) { }

    public virtual void BeforeEpoch(TrainingContext context) { }

    /// <summary>Before the forward pass of a training batch; schedulers set the learning rate and momentum here.</summary>
    public virtual void BeforeTrainBatch(TrainingContext context) { }

    /// <summary>After the loss of a training batch is computed, before the backward pass.</summary>
    public virtual void AfterLoss(TrainingContext context) { }

    /// <summary>After the optimizer step of a training batch.</summary>
    public virtual void AfterTrainBatch(TrainingContext context) { }

    public virtual void BeforeValidate(TrainingContext context) { }

    /// <summary>After each validation batch (for progress displays).</summary>
    public virtual void AfterValidBatch(TrainingContext context) { }

    /// <summary>After validation: <see cref="TrainingContext.LastEpoch"/> holds the epoch's losses and metrics.</summary>
    public virtual void AfterValidate(TrainingContext context) { }

    public virtual void AfterEpoch(TrainingContext context) { }

    /// <summary>Once at the end of a fit, also when it stopped early or was cancelled.</summary>
    public virtual void AfterFit(TrainingContext context) { }

    /// <summary>Something the user should know about how training runs (e.g. a training set smaller than one batch).</summary>
    public virtual void OnNote(TrainingContext context, string note) { }
}
