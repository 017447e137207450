using Chronoscope.Training;

namespace Chronoscope.Benchmarks;

/// <summary>
/// The published InceptionTime recipe's schedule, for the <c>accuracy</c> workload's <c>--recipe published</c>: the
/// learning rate starts at <paramref name="start"/> and halves whenever the epoch's mean training loss has not improved
/// for <paramref name="patience"/> epochs, down to <paramref name="minimum"/> (Keras' <c>ReduceLROnPlateau(monitor="loss",
/// factor=0.5, patience=50, min_lr=1e-4)</c>). It sets the rate after the fit's constant schedule does.
/// </summary>
internal sealed class PlateauReduction(double start, int patience = 50, double factor = 0.5, double minimum = 1e-4) : EpochTrainingLoss
{
    private double _rate, _best; // set at each fit's start
    private int _waited;

    // After the ParameterScheduler (-20) has set the fit's constant rate.
    public override int Order => -19;

    public override void BeforeFit(TrainingContext context) => (_rate, _best, _waited) = (start, double.PositiveInfinity, 0);

    public override void BeforeTrainBatch(TrainingContext context) => context.LearningRate = _rate;

    protected override void AfterEpochLoss(TrainingContext context, double loss)
    {
        if (loss < _best)
        {
            (_best, _waited) = (loss, 0);
            return;
        }
        if (++_waited < patience)
            return;
        // Keras: once patience runs out the rate drops (if above the floor) and the wait starts again.
        _rate = Math.Max(minimum, _rate * factor);
        _waited = 0;
    }
}
