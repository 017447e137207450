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
    /// gives for this training set at its <see cref="TrainingBudget.MaxLearningRate"/>, then, where it allows a second
    /// cycle (<see cref="TrainingBudget.SecondCycleEpochs"/>), another one-cycle, peaking lower
    /// (<see cref="TrainingBudget.SecondCycleDivisor"/>), if the first ends with the training loss more than 0.1 above
    /// its floor (a note says so). It validates every few epochs unless
    /// <see cref="LearnerOptions.ValidationInterval"/> asks for another interval.
    /// </summary>
    public FitResult FitOneCycle(TrainingBudget budget, IEnumerable<Callback>? callbacks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var first = budget.Epochs(Data.Train);
        var second = budget.SecondCycleEpochs(Data.Train);
        var epochs = first + second;
        var interval = Options.ValidationInterval == 1 ? budget.ValidationInterval(epochs, Data) : Options.ValidationInterval;
        if (second == 0)
            return OneCycle(epochs, budget.MaxLearningRate, null, callbacks, cancellationToken, interval);
        var (learningRate, momentum) = OneCycleSchedules(budget.MaxLearningRate, new OneCycleOptions());
        if (!(budget.SecondCycleDivisor > 0))
            throw new ArgumentOutOfRangeException(nameof(budget), budget.SecondCycleDivisor, "expected a second-cycle divisor above 0");
        var (secondRate, _) = OneCycleSchedules(budget.MaxLearningRate / budget.SecondCycleDivisor, new OneCycleOptions());
        double[] shares = [(double)first / epochs, (double)second / epochs];
        return Fit(epochs, Schedule.Combine(shares, [learningRate, secondRate]), Schedule.Combine(shares, [momentum, momentum]),
            [new SecondCycleGate(first, second), .. callbacks ?? []], cancellationToken, interval);
    }

    private FitResult OneCycle(int epochs, double maxLearningRate, OneCycleOptions? options, IEnumerable<Callback>? callbacks, CancellationToken cancellationToken, int validationInterval)
    {
        var (learningRate, momentum) = OneCycleSchedules(maxLearningRate, options ?? new OneCycleOptions());
        return Fit(epochs, learningRate, momentum, callbacks, cancellationToken, validationInterval);
    }

    private static (Schedule LearningRate, Schedule Momentum) OneCycleSchedules(double maxLearningRate, OneCycleOptions options)
    {
        if (!(maxLearningRate is > 0 and <= float.MaxValue))
            throw new ArgumentOutOfRangeException(nameof(maxLearningRate), maxLearningRate, "expected a finite learning rate above 0");
        options.Validate();
        return (Schedule.OneCycleLearningRate(maxLearningRate, options.WarmupFraction, options.Divisor, options.FinalDivisor),
            Schedule.OneCycleMomentum(options.MaxMomentum, options.MinMomentum, options.WarmupFraction));
    }
}
