namespace Chronoscope.Training;

/// <summary>
/// fastai's <c>AvgSmoothLoss</c>: after each training batch, <see cref="TrainingContext.SmoothedLoss"/> becomes an
/// exponential moving average (β = 0.98) of the fit's batch losses, debiased for its first steps. It runs before the
/// callbacks that read it (the recorder, progress, the learning-rate finder).
/// </summary>
internal sealed class LossSmoother : Callback
{
    private const double Beta = 0.98;

    private double _average;
    private int _count;

    public override int Order => -30;

    public override void BeforeFit(TrainingContext context) => (_average, _count) = (0, 0);

    public override void AfterTrainBatch(TrainingContext context)
    {
        _average = (Beta * _average) + ((1 - Beta) * context.BatchLoss);
        context.SmoothedLoss = _average / (1 - Math.Pow(Beta, ++_count));
    }
}
