namespace Chronoscope.Training;

/// <summary>The learning-rate finder's sweep (smoothed loss per learning rate) and the rates it suggests.</summary>
public sealed record LearningRateFinderResult(
    IReadOnlyList<double> LearningRates,
    IReadOnlyList<double> Losses,
    double Valley,
    double MinimumOverTen,
    double Steepest)
{
    /// <summary>The suggestion to use: <see cref="Valley"/>, fastai's default since 2.5.</summary>
    public double Suggested => Valley;
}
