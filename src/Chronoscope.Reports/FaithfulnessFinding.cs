using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;

namespace Chronoscope.Reports;

/// <summary>
/// What the "How faithful are these maps?" section shows: the perturbation curves of the page's map method and of the
/// random control on the same validation series, made by <see cref="Explain.Faithfulness"/> exactly as
/// <c>chronoscope faithfulness</c> makes them (maps of the predicted class, unscaled, the same options).
/// </summary>
/// <param name="Items">The validation series measured, evenly spaced through the set.</param>
/// <param name="Method">The curves of the page's map method.</param>
/// <param name="Control">The curves of the random ranking, the control.</param>
/// <param name="TimeOnly">True when the method's maps are time-only (cells are steps, all channels at once).</param>
internal sealed record FaithfulnessFinding(IReadOnlyList<int> Items, FaithfulnessCurves Method, FaithfulnessCurves Control, bool TimeOnly)
{
    /// <summary>The method's scores.</summary>
    public FaithfulnessScores MethodScores { get; } = FaithfulnessScores.Of(Method);

    /// <summary>The control's scores.</summary>
    public FaithfulnessScores ControlScores { get; } = FaithfulnessScores.Of(Control);

    /// <summary>
    /// The curves of <see cref="RunReportOptions.Method"/> and of the random control over
    /// <see cref="RunReportOptions.FaithfulnessSeries"/> series of <paramref name="validation"/>; null when that is 0.
    /// </summary>
    public static FaithfulnessFinding? Compute(
        TimeSeriesClassifier classifier, DataLoader validation, RunReportOptions options, CancellationToken cancellationToken)
    {
        var items = EvenlySpaced(validation.Count, options.FaithfulnessSeries);
        if (items.Length == 0)
            return null;
        var explainer = new Explainer(classifier);
        var explain = options.Explanation with { ForceScale = false, Target = MapTarget.Predicted }; // raw maps of what the network predicted
        var curves = options.Faithfulness;
        if (curves.Perturbation == Perturbation.TrainingMean && curves.Reference is null)
            curves = curves with { Reference = options.Training };
        var faithfulness = new Faithfulness(classifier);
        cancellationToken.ThrowIfCancellationRequested();
        var maps = explainer.Explain(validation, items, explain);
        var method = faithfulness.Evaluate(validation.Dataset, maps, curves);
        cancellationToken.ThrowIfCancellationRequested();
        var control = faithfulness.Evaluate(validation.Dataset, explainer.Explain(validation, items, explain with { Method = MapMethod.Random }), curves);
        return new FaithfulnessFinding(items, method, control, maps.Channels == 1);
    }

    /// <summary><paramref name="count"/> indices of 0 … <paramref name="total"/> − 1 spread evenly (⌊i · total / count⌋), or all of them.</summary>
    internal static int[] EvenlySpaced(int total, int count)
    {
        count = Math.Min(count, total);
        return [.. Enumerable.Range(0, count).Select(i => (int)((long)i * total / count))];
    }

    /// <summary>The step whose share of cells is nearest <paramref name="fraction"/>.</summary>
    public int StepNearest(double fraction) =>
        Enumerable.Range(0, Method.Fractions.Count).MinBy(i => Math.Abs(Method.Fractions[i] - fraction));
}
