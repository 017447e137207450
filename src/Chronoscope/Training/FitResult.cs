namespace Chronoscope.Training;

/// <summary>How a fit went: its epoch table, whether it ended early and why, and what the learner noted.</summary>
public sealed record FitResult(
    IReadOnlyList<EpochResult> Epochs,
    string? StopReason,
    bool Cancelled,
    IReadOnlyList<string> Notes,
    TimeSpan Duration)
{
    /// <summary>The last epoch's row, or null when no epoch finished.</summary>
    public EpochResult? Last => Epochs.Count > 0 ? Epochs[^1] : null;
}
