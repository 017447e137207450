using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;

namespace Chronoscope.Cli.Output;

/// <summary>
/// The warnings of the commands that apply a model, by one rule each: data of another length than the model was trained
/// on (every such command, through <see cref="Commands.ModelData"/>), and series on which the network's output is not
/// finite (predict, evaluate and cam, which show predictions or maps), and work too large for the machine's memory.
/// </summary>
internal static class ModelWarnings
{
    /// <summary>The mark of a row whose prediction means nothing (the network's output was not finite).</summary>
    public const string NoPrediction = "?";

    /// <summary>
    /// Warns when <paramref name="data"/> (one file) holds series of another length than <paramref name="classifier"/>
    /// was trained on: the network accepts any length, but a model rarely transfers to series of another length. With
    /// <paramref name="paddedTo"/> longer than the file's series (files pooled by <see cref="Commands.ModelData"/>), the
    /// warning says they are padded to it.
    /// </summary>
    public static void Length(CliContext context, TimeSeriesClassifier classifier, TimeSeriesDataset data, string source, int? paddedTo = null)
    {
        // The rule: the longest series (the length the file is padded to) against the training data's; shorter series
        // within variable-length data are as the model saw them in training.
        var padded = paddedTo > data.Length;
        var shortest = data.Count == 0 ? 0 : data.Lengths.Min();
        var found = shortest == data.Length ? $"length {data.Length}" : $"lengths {shortest} to {data.Length}";
        if (classifier.VariableLengths == VariableLengths.Resample)
        {
            // Resampled as the training series were: nothing to warn about, but the series shown are not as read.
            if (data.Count > 0 && (data.Length != classifier.SeriesLength || shortest != data.Length))
                context.WriteError($"note: {source}: series of {found} resampled to {classifier.SeriesLength} steps, as the model's training series were.");
            return;
        }
        if (data.Count == 0 || (data.Length == classifier.SeriesLength && !padded))
            return;
        var padding = padded ? $"; pooled with longer files, its series are padded to {paddedTo}" : "";
        context.WriteError($"warning: {source}: the model was trained on series of length {classifier.SeriesLength}, found {found}{padding}; its predictions may mean little.");
    }

    /// <summary>
    /// Refuses work whose passes cannot fit in all the machine's memory, even one series at a time (the library's
    /// <see cref="MemoryLimitException"/>, before anything is computed or written), and warns when they need more than
    /// is available now: the system may then kill the process. True when it warned.
    /// </summary>
    public static bool Memory(CliContext context, MemoryNeed need)
    {
        var (_, warning) = MemoryBudget.FitPasses(need);
        if (warning is not null)
            context.WriteWarning(warning);
        return warning is not null;
    }

    /// <summary>Warns when the network's output was not finite for some series of a file, and says how they are marked.</summary>
    public static void NonFinite(CliContext context, Predictions predictions, string source) => NonFinite(context, predictions.NonFinite, source);

    /// <summary>Warns when the network's output was not finite for some explained series, and says how they are marked.</summary>
    public static void NonFinite(CliContext context, ActivationMaps maps, string source) => NonFinite(context, Items(maps), source);

    /// <summary>The items (indices into the data) of <paramref name="maps"/> on which the network's output is not finite.</summary>
    public static IReadOnlyList<int> Items(ActivationMaps maps) => [.. maps.NonFinite.Select(k => maps.Items[k])];

    /// <summary>
    /// The one warning for series on which the network's output is not finite (<paramref name="items"/>, indices into the
    /// data of <paramref name="source"/>): no class is predicted for them, and every table and file marks them. With
    /// <paramref name="scored"/> (evaluate) it also says how the metrics take them: in no cell of the confusion matrix,
    /// and wrong in every metric.
    /// </summary>
    public static void NonFinite(CliContext context, IReadOnlyList<int> items, string source, bool scored = false)
    {
        if (items.Count == 0)
            return;
        var listed = string.Join(", ", items.Take(5)) + (items.Count > 5 ? ", ..." : "");
        var metrics = scored ? "; the confusion matrix leaves them out and every metric counts them as wrong" : "";
        context.WriteError($"warning: {source}: the network's output is not finite for {Words.Plural(items.Count, "series", "series")} (items {listed}; " +
            $"values too large for it?): no class is predicted for them (marked {NoPrediction}){metrics}.");
    }
}
