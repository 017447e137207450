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

    /// <summary>The page's title. Defaults to null: <c>&lt;dataset&gt; - Chronoscope run report</c>.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// Lines the caller adds to the Notes section, e.g. where the validation data was read from. Defaults to none.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
