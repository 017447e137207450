using Chronoscope.Training;

namespace Chronoscope.Benchmarks;

/// <summary>
/// A callback that acts on each epoch's mean training loss (Keras' <c>loss</c>, which the published recipe's callbacks
/// monitor), after the epoch's last training batch and before anyone validates.
/// </summary>
internal abstract class EpochTrainingLoss : Callback
{
    private double _sum;
    private int _batches;

    public override void BeforeEpoch(TrainingContext context) => (_sum, _batches) = (0, 0);

    public override void AfterTrainBatch(TrainingContext context)
    {
        _sum += context.BatchLoss;
        _batches++;
        if (context.BatchIndex == context.BatchCount - 1)
            AfterEpochLoss(context, _sum / _batches);
    }

    /// <summary>The epoch's training batches are done; <paramref name="loss"/> is their mean loss.</summary>
    protected abstract void AfterEpochLoss(TrainingContext context, double loss);
}
