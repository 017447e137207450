using TorchSharp;

namespace Chronoscope.Training;

/// <summary>
/// fastai's <c>LRFinder</c> as a callback: before each training batch the learning rate grows geometrically from
/// <c>start</c> to <c>end</c> over <c>iterations</c> batches; after each it records the smoothed loss and stops the
/// fit at the last iteration or, when asked, once the loss exceeds four times its best (divergence). The weights and
/// BatchNorm statistics it found at the start are put back when the fit ends.
/// </summary>
internal sealed class LearningRateFinder(double start, double end, int iterations, bool stopOnDivergence, IProgress<TrainingProgress>? progress) : Callback
{
    private readonly Schedule _schedule = Schedule.Exponential(start, end);
    private readonly List<double> _rates = [];
    private readonly List<double> _losses = [];
    private Dictionary<string, torch.Tensor>? _saved;
    private double _best = double.PositiveInfinity;

    // After the scheduler (none in a sweep, but a caller may add one) and the loss smoother.
    public override int Order => -5;

    public IReadOnlyList<double> LearningRates => _rates;

    /// <summary>The smoothed loss after each batch.</summary>
    public IReadOnlyList<double> Losses => _losses;

    public override void BeforeFit(TrainingContext context) =>
        _saved = context.Learner.Model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());

    // Momentum stays the optimizer's default, as the context starts it.
    public override void BeforeTrainBatch(TrainingContext context) =>
        context.LearningRate = _schedule.At((double)context.Iteration / (iterations - 1));

    public override void AfterTrainBatch(TrainingContext context)
    {
        _rates.Add(context.LearningRate);
        _losses.Add(context.SmoothedLoss);
        _best = Math.Min(_best, context.SmoothedLoss);
        progress?.Report(new TrainingProgress(TrainingPhase.Training, 0, 1, context.Iteration, iterations));
        if (context.Iteration >= iterations)
            context.RequestStop("the learning-rate sweep is complete");
        else if (stopOnDivergence && (double.IsNaN(context.SmoothedLoss) || context.SmoothedLoss > 4 * _best))
            context.RequestStop("the loss diverged");
    }

    public override void AfterFit(TrainingContext context)
    {
        if (_saved is null)
            return;
        using (torch.no_grad())
        {
            foreach (var (name, tensor) in context.Learner.Model.state_dict())
                tensor.copy_(_saved[name]);
        }
        foreach (var tensor in _saved.Values)
            tensor.Dispose();
        _saved = null;
    }
}
