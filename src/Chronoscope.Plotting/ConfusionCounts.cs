using Chronoscope.Inference;

namespace Chronoscope.Plotting;

/// <summary>A confusion matrix: what <see cref="Pictures.PlotConfusionMatrix"/> draws.</summary>
/// <param name="Counts">Counts[actual, predicted]: how many series of class <c>actual</c> were predicted as <c>predicted</c> (K × K).</param>
/// <param name="ClassNames">The K class names, in index order.</param>
public sealed record ConfusionCounts(int[,] Counts, IReadOnlyList<string> ClassNames)
{
    /// <summary>The counts of <paramref name="matrix"/> (an epoch's, or <see cref="Inference.Predictions.Confusion"/>), named by its classes.</summary>
    public static ConfusionCounts From(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var k = matrix.Classes.Count;
        var counts = new int[k, k];
        for (var actual = 0; actual < k; actual++)
        {
            for (var predicted = 0; predicted < k; predicted++)
                counts[actual, predicted] = checked((int)matrix[actual, predicted]);
        }
        return new ConfusionCounts(counts, matrix.Classes);
    }
}
