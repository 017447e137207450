using Chronoscope.Data;
using Chronoscope.Inference;

namespace Chronoscope.Cli.Output;

/// <summary>
/// The warnings every command that applies a model gives (predict, evaluate, cam), by one rule each: data of another
/// length than the model was trained on, and series on which the network overflowed.
/// </summary>
internal static class ModelWarnings
{
    /// <summary>The mark of a row whose prediction means nothing (the network's output was not finite).</summary>
    public const string NoPrediction = "?";

    /// <summary>
    /// Warns when <paramref name="data"/> holds series of another length than <paramref name="classifier"/> was trained
    /// on: the network accepts any length, but a model rarely transfers to series of another length.
    /// </summary>
    public static void Length(CliContext context, TimeSeriesClassifier classifier, TimeSeriesDataset data, string source)
    {
        // The rule: the longest series (the length the data is padded to) against the training data's; shorter series
        // within variable-length data are as the model saw them in training.
        if (data.Count == 0 || data.Length == classifier.SeriesLength)
            return;
        var found = $"length {data.Length}";
        context.WriteError($"warning: {source}: the model was trained on series of length {classifier.SeriesLength}, found {found}; its predictions may mean little.");
    }

    /// <summary>Warns when the network's output was not finite for some series, and says how they are marked.</summary>
    public static void NonFinite(CliContext context, Predictions predictions, string source, int firstItem = 0)
    {
        if (predictions.NonFinite.Count == 0)
            return;
        var items = string.Join(", ", predictions.NonFinite.Take(5).Select(i => i + firstItem)) + (predictions.NonFinite.Count > 5 ? ", ..." : "");
        context.WriteError($"warning: {source}: the network's output is not finite for {Words.Plural(predictions.NonFinite.Count, "series", "series")} (items {items}; " +
            $"values too large for it?): no class is predicted for them (marked {NoPrediction}).");
    }
}
