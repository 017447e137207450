namespace Chronoscope.Training;

/// <summary>Forwards the fit's progress to an <see cref="IProgress{T}"/>: how a caller (the command line, a UI) follows training.</summary>
public sealed class ProgressReporter(IProgress<TrainingProgress> progress) : Callback
{
    public override int Order => 10;

    public override void AfterTrainBatch(TrainingContext context) =>
        progress.Report(new TrainingProgress(TrainingPhase.Training, context.Epoch, context.EpochCount, context.BatchIndex + 1, context.BatchCount));

    public override void AfterValidBatch(TrainingContext context) =>
        progress.Report(new TrainingProgress(TrainingPhase.Validating, context.Epoch, context.EpochCount, context.ValidBatchIndex + 1, context.ValidBatchCount));

    public override void AfterEpoch(TrainingContext context) =>
        progress.Report(new TrainingProgress(TrainingPhase.EpochCompleted, context.Epoch, context.EpochCount, context.BatchCount, context.BatchCount,
            context.LastEpoch?.Epoch == context.Epoch ? context.LastEpoch : null));

    public override void OnNote(TrainingContext context, string note) =>
        progress.Report(new TrainingProgress(TrainingPhase.Note, context.Epoch, context.EpochCount, 0, context.BatchCount, Note: note));
}
