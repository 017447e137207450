namespace Chronoscope.Plotting;

/// <summary>A confusion matrix: what <see cref="Pictures.PlotConfusionMatrix"/> draws.</summary>
/// <param name="Counts">Counts[actual, predicted]: how many series of class <c>actual</c> were predicted as <c>predicted</c> (K × K).</param>
/// <param name="ClassNames">The K class names, in index order.</param>
public sealed record ConfusionCounts(int[,] Counts, IReadOnlyList<string> ClassNames);
