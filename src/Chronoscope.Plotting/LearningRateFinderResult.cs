namespace Chronoscope.Plotting;

/// <summary>A learning-rate range test: the loss at each learning rate tried, and the rate it suggests. What <see cref="Pictures.PlotLearningRateFinder"/> draws.</summary>
/// <param name="LearningRates">The learning rates tried, increasing (all &gt; 0).</param>
/// <param name="Losses">The (smoothed) loss at each rate.</param>
/// <param name="SuggestedLearningRate">The suggested rate, marked on the curve; null for none.</param>
public sealed record LearningRateFinderResult(double[] LearningRates, double[] Losses, double? SuggestedLearningRate);
