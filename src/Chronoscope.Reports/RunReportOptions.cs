using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Plotting;

namespace Chronoscope.Reports;

/// <summary>What <see cref="RunReportPage"/> explains and shows; the limits keep the page small enough to open anywhere.</summary>
public sealed record RunReportOptions
{
    /// <summary>The map method. Defaults to <see cref="MapMethod.GradCam"/>, the reference's GRAD-CAM.</summary>
    public MapMethod Method { get; init; } = MapMethod.GradCam;

    /// <summary>The reduction of methods that use one. Defaults to <see cref="Explain.Reduction.Mean"/>, as the reference.</summary>
    public Reduction Reduction { get; init; } = Reduction.Mean;

    /// <summary>The layer explained; null (the default) is the last Inception block, as the reference.</summary>
    public int? Layer { get; init; }

    /// <summary>Series per forward/backward pass while the validation set is explained. Defaults to 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>How the page explains a series: by its label's map, scaled to 0..1, with the method, reduction, layer and batch above.</summary>
    internal ExplainOptions Explanation => new()
    {
        Method = Method,
        Reduction = Reduction,
        Layer = Layer,
        ForceScale = true,
        Target = MapTarget.Label,
        BatchSize = BatchSize,
    };

    /// <summary>Readable class names (by index or by label). Defaults to null: the labels as the files write them.</summary>
    public ClassNames? ClassNames { get; init; }

    /// <summary>The matplotlib colormap of every map. Defaults to <c>Spectral_r</c>, as <c>show_cam</c>.</summary>
    public string Colormap { get; init; } = "Spectral_r";

    /// <summary>Correctly classified series shown per class in the gallery (the most confident ones). Defaults to 3.</summary>
    public int GalleryPerClass { get; init; } = 3;

    /// <summary>Misclassified series shown (those with the lowest probability for their true class, i.e. the highest loss). Defaults to 8.</summary>
    public int MaxMisclassified { get; init; } = 8;

    /// <summary>
    /// Classes that get a mean-map picture and a gallery row (the first ones, in class order); the rest are listed in
    /// the notes. Defaults to 24: a page of 60 classes' pictures is slow to open on a phone.
    /// </summary>
    public int MaxClasses { get; init; } = 24;

    /// <summary>
    /// At most this many colours along each line of a gallery or misclassified picture (see
    /// <see cref="CamPlotOptions.MaxColoredSegments"/>): thumbnails of long series stay small. Defaults to 60.
    /// </summary>
    public int ThumbnailColors { get; init; } = 60;

    /// <summary>
    /// Validation series the "How faithful are these maps?" section measures, evenly spaced through the set (all of them
    /// when the set is smaller); 0 leaves the measurement out. Each costs 2 × (3n + 2) forward passes (the map's curves
    /// and the random control's, n = <see cref="FaithfulnessOptions.Steps"/>: 64 with the page's 10 steps). Defaults to
    /// 16, about 1,000 forward passes, since <c>chronoscope train</c> writes the page after every run; measure more
    /// series, and finer, with <c>chronoscope faithfulness</c>.
    /// </summary>
    public int FaithfulnessSeries { get; init; } = 16;

    /// <summary>
    /// How the faithfulness curves are drawn. Defaults to zeros, as the library, but 10 steps of 5% up to 50% instead of
    /// its 25 of 2%: the same span on a coarser grid at 40% of the cost, so the page stays fast. A training-mean
    /// perturbation without a reference uses <see cref="Training"/>.
    /// </summary>
    public FaithfulnessOptions Faithfulness { get; init; } = new() { Steps = 10, StepFraction = 0.05 };

    /// <summary>
    /// Misclassified series that get a counterfactual toward their true class (those with the lowest probability for it
    /// first, as <see cref="MaxMisclassified"/>); 0 leaves the search out. Defaults to 12.
    /// </summary>
    public int MaxCounterfactuals { get; init; } = 12;

    /// <summary>
    /// How counterfactuals are sought (their target is always the series' true class). Defaults to null: Native Guide's
    /// defaults (<see cref="CounterfactualOptions"/>) with the page's map method placing the windows and windows growing by
    /// 2% of the series length at a time (at least one step), so that a report stays fast.
    /// </summary>
    public CounterfactualOptions? Counterfactuals { get; init; }

    /// <summary>
    /// The model's training series (as read), where counterfactuals find their nearest unlike neighbours, e.g.
    /// <c>learner.Data.Train.Dataset</c>. Defaults to null: the page then says there are no counterfactuals without them.
    /// </summary>
    public TimeSeriesDataset? Training { get; init; }

    /// <summary>The page's title. Defaults to null: <c>&lt;dataset&gt; - Chronoscope run report</c>.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// Lines the caller adds to the Notes section, e.g. where the validation data was read from. Defaults to none.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
