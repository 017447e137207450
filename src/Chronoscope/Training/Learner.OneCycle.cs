namespace Chronoscope.Training;

public sealed partial class Learner
{
    /// <summary>
    /// fastai's <c>fit_one_cycle</c>: the learning rate warms up from <c>max/25</c> to <paramref name="maxLearningRate"/>
    /// over the first quarter and anneals to <c>max/1e5</c>; momentum goes 0.95 → 0.85 → 0.95 (cosines, per batch).
    /// </summary>
    public FitResult FitOneCycle(int epochs, double maxLearningRate = 1e-3, OneCycleOptions? options = null, IEnumerable<Callback>? callbacks = null, CancellationToken cancellationToken = default)
        => OneCycle(epochs, maxLearningRate, options, callbacks, cancellationToken, Options.ValidationInterval);

    /// <summary>
    /// One-cycle for as long as <paramref name="budget"/> says (the defaults of <c>chronoscope train</c>): the epochs it
    /// gives for this training set at its <see cref="TrainingBudget.MaxLearningRate"/>, validating every few epochs
    /// unless <see cref="LearnerOptions.ValidationInterval"/> asks for another interval.
    /// </summary>
    public FitResult FitOneCycle(TrainingBudget budget, IEnumerable<Callback>? callbacks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var epochs = budget.Epochs(Data.Train);
        var interval = Options.ValidationInterval == 1 ? budget.ValidationInterval(epochs, Data) : Options.ValidationInterval;
        return OneCycle(epochs, budget.MaxLearningRate, null, callbacks, cancellationToken, interval);
    }

    private FitResult OneCycle(int epochs, double maxLearningRate, OneCycleOptions? options, IEnumerable<Callback>? callbacks, CancellationToken cancellationToken, int validationInterval)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLearningRate);
        options ??= new OneCycleOptions();
        return Fit(epochs,
            Schedule.OneCycleLearningRate(maxLearningRate, options.WarmupFraction, options.Divisor, options.FinalDivisor),
            Schedule.OneCycleMomentum(options.MaxMomentum, options.MinMomentum, options.WarmupFraction),
            callbacks, cancellationToken, validationInterval);
    }
}
