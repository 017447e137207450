using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;

namespace Chronoscope.Reports;

/// <summary>
/// What the "Counterfactuals" section shows: for the misclassified validation series (at most
/// <see cref="RunReportOptions.MaxCounterfactuals"/>, lowest probability of the true class first), each one's
/// counterfactual toward its true class (<see cref="Counterfactuals"/>, one batched search), next to the map of that
/// class.
/// </summary>
/// <param name="Series">The series, in page order, each with the map of its true class.</param>
/// <param name="Results">Their counterfactuals, parallel to <paramref name="Series"/>; null when none were sought.</param>
/// <param name="Problem">Why none were sought although series were misclassified (no training data, or the search refused); else null.</param>
internal sealed record CounterfactualFinding(IReadOnlyList<ShownSeries> Series, CounterfactualResults? Results, string? Problem)
{
    /// <summary>
    /// The counterfactuals of <paramref name="misclassified"/> (already in page order) toward their true classes,
    /// searched among <see cref="RunReportOptions.Training"/>.
    /// </summary>
    public static CounterfactualFinding Compute(
        TimeSeriesClassifier classifier, DataLoader validation, IReadOnlyList<int> misclassified, RunReportOptions options,
        CancellationToken cancellationToken)
    {
        var items = misclassified.Take(options.MaxCounterfactuals).ToArray();
        if (items.Length == 0)
            return new CounterfactualFinding([], null, null);
        cancellationToken.ThrowIfCancellationRequested();
        var maps = new Explainer(classifier).Explain(validation, items, options.Explanation);
        var classes = classifier.Classes.Count;
        ShownSeries[] series =
        [
            .. Enumerable.Range(0, items.Length).Select(k => new ShownSeries(items[k], maps.Labels![k], maps.Predicted(k),
                [.. Enumerable.Range(0, classes).Select(c => maps.Probability(k, c))], maps.Map(k).ToArray())),
        ];
        if (options.Training is not { } training)
            return new CounterfactualFinding(series, null, "no training series were given to search for neighbours in");

        var search = options.Counterfactuals ?? new CounterfactualOptions
        {
            Map = options.Explanation with { Target = MapTarget.Predicted },
            WindowStep = Math.Max(1, (int)Math.Round(0.02 * validation.Dataset.Length)),
        };
        try
        {
            var results = Counterfactuals.Explain(classifier, training, validation.Dataset, items, [.. series.Select(s => s.Label!.Value)],
                search with { Target = null }, cancellationToken);
            return new CounterfactualFinding(series, results, null);
        }
        catch (CounterfactualException e)
        {
            // A series on the edge between two classes may be predicted otherwise when classified apart: say so, keep the page.
            return new CounterfactualFinding(series, null, $"the search refused: {e.Message}");
        }
    }
}
