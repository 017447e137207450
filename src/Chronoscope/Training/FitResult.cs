namespace Chronoscope.Training;

/// <summary>
/// How a fit went: its epoch table (a row per validated epoch), whether it ended early and why, what the learner
/// noted, and how many epochs it trained (more than the rows when it validated every few epochs).
/// </summary>
public sealed record FitResult(
    IReadOnlyList<EpochResult> Epochs,
    string? StopReason,
    bool Cancelled,
    IReadOnlyList<string> Notes,
    TimeSpan Duration,
    int EpochsTrained)
{
    /// <summary>The last epoch's row, or null when no epoch finished.</summary>
    public EpochResult? Last => Epochs.Count > 0 ? Epochs[^1] : null;
}
