namespace Chronoscope.Training;

/// <summary>Where a fit is, for progress displays: the phase, the epoch and the batch within it; a finished epoch carries its row.</summary>
public sealed record TrainingProgress(
    TrainingPhase Phase,
    int Epoch,
    int EpochCount,
    int Batch,
    int BatchCount,
    EpochResult? Result = null,
    string? Note = null);
