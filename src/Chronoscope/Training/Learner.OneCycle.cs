namespace Chronoscope.Training;

public sealed partial class Learner
{
    /// <summary>
    /// fastai's <c>fit_one_cycle</c>: the learning rate warms up from <c>max/25</c> to <paramref name="maxLearningRate"/>
    /// over the first quarter and anneals to <c>max/1e5</c>; momentum goes 0.95 → 0.85 → 0.95 (cosines, per batch).
    /// </summary>
    public FitResult FitOneCycle(int epochs, double maxLearningRate = 1e-3, OneCycleOptions? options = null, IEnumerable<Callback>? callbacks = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLearningRate);
        options ??= new OneCycleOptions();
        return Fit(epochs,
            Schedule.OneCycleLearningRate(maxLearningRate, options.WarmupFraction, options.Divisor, options.FinalDivisor),
            Schedule.OneCycleMomentum(options.MaxMomentum, options.MinMomentum, options.WarmupFraction),
            callbacks, cancellationToken);
    }
}
