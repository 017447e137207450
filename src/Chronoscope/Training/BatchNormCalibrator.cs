using System.Globalization;

namespace Chronoscope.Training;

/// <summary>
/// What a fit does about training sets smaller than one batch: it says that each epoch is then one optimizer step,
/// and, as <see cref="BatchNormCalibration"/> asks, recomputes BatchNorm's running statistics on the whole training set
/// before each validation (after so few steps PyTorch's running averages lag the weights).
/// </summary>
internal sealed class BatchNormCalibrator(BatchNormCalibration mode) : Callback
{
    private bool _calibrate;

    // Before the other callbacks' BeforeValidate: they see the model as it will be validated.
    public override int Order => -25;

    public override void BeforeFit(TrainingContext context)
    {
        var train = context.Learner.Data.Train;
        var small = train.Count < train.BatchSize;
        _calibrate = mode == BatchNormCalibration.Always || (mode == BatchNormCalibration.Auto && small);
        if (small)
        {
            context.Note(string.Create(CultureInfo.InvariantCulture,
                $"the training set has {train.Count} series, fewer than a batch of {train.BatchSize}: each epoch is one optimizer step on them all (dropping the incomplete batch, as fastai does, would train nothing)."));
        }
        if (_calibrate)
        {
            context.Note(mode == BatchNormCalibration.Always
                ? "BatchNorm statistics are recomputed on the whole training set before each validation."
                : "with so few optimizer steps BatchNorm's running statistics lag the weights, so they are recomputed on the whole training set before each validation (BatchNorm calibration 'never' keeps PyTorch's running averages).");
        }
    }

    public override void BeforeValidate(TrainingContext context)
    {
        if (_calibrate)
            context.Learner.RecalibrateBatchNorm();
    }
}
