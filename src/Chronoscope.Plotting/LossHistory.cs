using Chronoscope.Training;

namespace Chronoscope.Plotting;

/// <summary>Losses recorded during training: what <see cref="Pictures.PlotLoss"/> draws.</summary>
/// <param name="TrainLoss">The training loss, one value per iteration (batch) when <paramref name="EpochEndIterations"/> is given, else one per epoch.</param>
/// <param name="ValidLoss">The validation loss, one value per epoch (may be empty).</param>
/// <param name="EpochEndIterations">
/// The number of iterations done at the end of each epoch (e.g. 4, 8, 12 for 4 batches an epoch), where each
/// validation loss is drawn on the iteration axis; null when both losses are per epoch (x = epoch 1, 2, …).
/// </param>
public sealed record LossHistory(double[] TrainLoss, double[] ValidLoss, int[]? EpochEndIterations = null)
{
    /// <summary>
    /// The losses of a learner's last fit, as fastai's <c>recorder.plot_loss()</c> draws them: the smoothed training
    /// loss of every batch, and each epoch's validation loss at the batch that ended it.
    /// </summary>
    public static LossHistory From(Recorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return new LossHistory([.. recorder.SmoothedLosses], [.. recorder.Epochs.Select(e => e.ValidLoss)], [.. recorder.EpochEndIterations]);
    }
}
