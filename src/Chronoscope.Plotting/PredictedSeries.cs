namespace Chronoscope.Plotting;

/// <summary>One series with the model's prediction and the true class: a cell of <see cref="Pictures.ShowResults(IReadOnlyList{PredictedSeries}, SeriesGridOptions?)"/>.</summary>
/// <param name="Values">The series, (C, T) row-major: channel c, step t at <c>c * T + t</c>.</param>
/// <param name="Channels">C, the number of channels.</param>
/// <param name="Predicted">The predicted class name.</param>
/// <param name="Target">The true class name, or null when it is unknown (unlabelled data).</param>
public sealed record PredictedSeries(float[] Values, int Channels, string Predicted, string? Target)
{
    /// <summary>True when the prediction is the target (ordinal comparison); false when the target is unknown.</summary>
    public bool IsCorrect => string.Equals(Predicted, Target, StringComparison.Ordinal);
}
