
namespace Chronoscope.Training;

public sealed partial class Learner
{
    /// <summary>
    /// fastai's <c>lr_find</c>: trains <paramref name="iterations"/> batches with the learning rate growing geometrically
    /// from <paramref name="start"/> to <paramref name="end"/>, recording the smoothed loss, and stops once it exceeds
    /// four times its best (divergence), with an optimizer of its own. The weights and BatchNorm statistics are restored
    /// afterwards; the learner's optimizer state is never touched.
    /// </summary>
    /// <param name="start">The first learning rate. Defaults to 1e-7, as fastai's <c>start_lr</c>.</param>
    /// <param name="end">The last learning rate. Defaults to 10, as fastai's <c>end_lr</c>.</param>
    /// <param name="iterations">Batches to train. Defaults to 100, as fastai's <c>num_it</c>.</param>
    /// <param name="stopOnDivergence">Stops once the loss exceeds four times its best. Defaults to true, as fastai.</param>
    /// <param name="progress">Receives a <see cref="TrainingPhase.Training"/> report after each batch (batch i of <paramref name="iterations"/>).</param>
    /// <param name="cancellationToken">Stops the sweep after the current batch; the suggestions come from the points so far.</param>
    public LearningRateFinderResult FindLearningRate(double start = 1e-7, double end = 10, int iterations = 100, bool stopOnDivergence = true,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(start);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(end, start);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 2);

        // A fit of its own: its own optimizer (the learner's state is never touched), no validation, no recorder; the
        // finder sets each batch's rate, stops the fit, and restores the weights when it ends.
        var finder = new LearningRateFinder(start, end, iterations, stopOnDivergence, progress);
        using var optimizer = CreateOptimizer();
        var epochs = (iterations + Data.Train.BatchCount - 1) / Data.Train.BatchCount;
        Run(epochs, [new LossSmoother(), finder], optimizer, validationInterval: 0, cancellationToken);
        var (rates, losses) = (finder.LearningRates, finder.Losses);
        // As fastai's lr_find: suggestions come from the sweep without its first tenth and its last five points.
        return Suggest(rates, losses, skipStart: iterations / 10, skipEnd: 5);
    }

    /// <summary>
    /// The three suggestions for a sweep; separate so they can be checked on known curves. They are computed, as fastai
    /// does, on the points from <paramref name="skipStart"/> to <paramref name="skipEnd"/> before the end (the first
    /// rates barely move the loss; the last ones are divergence), stopping at the first NaN; a sweep too short for that
    /// window uses all its points. The result holds the whole sweep, for pictures.
    /// </summary>
    internal static LearningRateFinderResult Suggest(IReadOnlyList<double> rates, IReadOnlyList<double> losses, int skipStart = 0, int skipEnd = 0)
    {
        var valid = 0;
        while (valid < losses.Count && !double.IsNaN(losses[valid]))
            valid++;
        var (first, last) = (skipStart, Math.Min(valid, losses.Count - skipEnd));
        if (last - first < 2)
            (first, last) = (0, valid);
        if (last - first < 2)
            throw new InvalidOperationException("the learning-rate sweep stopped before it had two points; lower the start rate");
        var full = new LearningRateFinderResult(rates, losses, 0, 0, 0);
        var window = SuggestWithin(rates.Skip(first).Take(last - first).ToArray(), losses.Skip(first).Take(last - first).ToArray());
        return full with { Valley = window.Valley, MinimumOverTen = window.MinimumOverTen, Steepest = window.Steepest };
    }

    private static LearningRateFinderResult SuggestWithin(double[] rates, double[] losses)
    {
        var n = losses.Length;

        var minimum = 0;
        for (var i = 1; i < n; i++)
            minimum = losses[i] < losses[minimum] ? i : minimum;

        // Steepest descent of the loss against log(rate).
        var steepest = 0;
        var steepestSlope = double.PositiveInfinity;
        for (var i = 0; i < n - 1; i++)
        {
            var slope = (losses[i + 1] - losses[i]) / (Math.Log(rates[i + 1]) - Math.Log(rates[i]));
            if (slope < steepestSlope)
                (steepest, steepestSlope) = (i, slope);
        }

        // Valley: the longest run of points along which the loss keeps falling (a longest decreasing subsequence);
        // the suggestion sits halfway along it, inside the descent and well before the minimum.
        var length = new int[n];
        var from = new int[n];
        var end = 0;
        for (var i = 0; i < n; i++)
        {
            length[i] = 1;
            from[i] = i;
            for (var j = 0; j < i; j++)
            {
                if (losses[j] > losses[i] && length[j] + 1 > length[i])
                    (length[i], from[i]) = (length[j] + 1, from[j]);
            }
            end = length[i] > length[end] ? i : end;
        }
        var valley = from[end] + (end - from[end]) / 2;

        return new LearningRateFinderResult(rates, losses, rates[valley], rates[minimum] / 10, rates[steepest]);
    }
}
