using Chronoscope.Data;

namespace Chronoscope.Plotting;

/// <summary>How <see cref="Pictures.ShowCam(CamBatch, CamPlotOptions?)"/> draws; the defaults are the Python package's <c>show_cam</c> defaults.</summary>
public sealed record CamPlotOptions
{
    /// <summary>A matplotlib colormap name (see <see cref="Plotting.Colormap.Names"/>). Defaults to <c>Spectral_r</c>, as <c>show_cam</c>.</summary>
    public string Colormap { get; init; } = "Spectral_r";

    /// <summary>The line width in points (1/72 inch). Defaults to 4, as <c>show_cam</c>'s <c>linewidth</c>. Scatter points use <see cref="MarkerSize"/> instead.</summary>
    public double LineWidth { get; init; } = 4;

    /// <summary>
    /// The style of every series' line. Defaults to solid, as <c>show_cam</c>'s <c>linestyles</c>; unlike the package,
    /// the second and later series keep it (the package forced them to dashed).
    /// </summary>
    public SeriesLineStyle LineStyle { get; init; } = SeriesLineStyle.Solid;

    /// <summary>The opacity of lines and points, 0 to 1. Defaults to 1, as <c>show_cam</c>'s <c>alpha</c>.</summary>
    public double Alpha { get; init; } = 1.0;

    /// <summary>
    /// Draw points coloured by the map instead of coloured line segments (<c>show_cam</c>'s <c>scatter</c>). Defaults to false.
    /// Unlike the package, the points use the same colour scale as the colour bar, and a grid draws them in its panels.
    /// </summary>
    public bool Scatter { get; init; }

    /// <summary>The diameter of scatter points in points. Defaults to 6, matplotlib's <c>scatter</c> marker (s = 36 pt²).</summary>
    public double MarkerSize { get; init; } = 6;

    /// <summary>
    /// At most this many colours along each line: when a series has more segments, runs of consecutive segments are
    /// stroked as one polyline in the colour of their mean map value. The shape of the line is unchanged; only the
    /// colour resolution drops (and an SVG gets one element per run instead of one per segment: thumbnails in a
    /// report stay small). Defaults to null: every segment in its own colour, as <c>show_cam</c>.
    /// </summary>
    public int? MaxColoredSegments { get; init; }

    /// <summary>The most channels <see cref="CamView.Auto"/> draws as lines; above this it draws heat strips.</summary>
    public const int MaxLineChannels = 8;

    /// <summary>
    /// Lines coloured by the map, or one heat strip per channel. Defaults to <see cref="CamView.Auto"/>: lines up to
    /// <see cref="MaxLineChannels"/> channels, strips above (a univariate series is always drawn as a line unless strips
    /// are asked for).
    /// </summary>
    public CamView View { get; init; } = CamView.Auto;

    /// <summary>One panel for all items, or a grid of one panel per item. Defaults to <see cref="CamLayout.Overlay"/>.</summary>
    public CamLayout Layout { get; init; } = CamLayout.Overlay;

    /// <summary>
    /// The figure width in inches (100 pixels each). Defaults to 6 for an overlay and 13 for a grid, as <c>show_cam</c>'s
    /// <c>figsize</c> (6, 4) and (13, 4).
    /// </summary>
    public double? WidthInches { get; init; }

    /// <summary>
    /// The figure height in inches. Defaults to 4 per grid row, as <c>show_cam</c>'s 4 for one row (the package kept 4 for
    /// any number of rows, which squashes grids of 4 or more items); a multichannel series gets at least 2 inches per channel.
    /// </summary>
    public double? HeightInches { get; init; }

    /// <summary>The colour bar's label. Defaults to the method part of the title, <see cref="CamBatch.Method"/>, e.g. <c>GRAD-CAM - mean</c>.</summary>
    public string? ColorBarLabel { get; init; }

    /// <summary>
    /// Readable class names for the titles when drawing from <see cref="Explain.ActivationMaps"/> (the reference's
    /// <c>i2o</c>): by index, <c>ClassNames.ByIndex(["Gun", "Point"])</c>, or by label,
    /// <c>ClassNames.Parse("1=Gun,2=Point")</c>. Defaults to null: the class labels. A <see cref="CamBatch"/> of your
    /// own carries its names in <see cref="CamItem.ClassName"/>.
    /// </summary>
    public ClassNames? ClassNames { get; init; }

    /// <summary>
    /// Show the model's probability for each explained class as a percentage when drawing from
    /// <see cref="Explain.ActivationMaps"/> (the reference's <c>confidence</c>). Defaults to false. A
    /// <see cref="CamBatch"/> of your own shows <see cref="CamItem.Confidence"/> where it is set.
    /// </summary>
    public bool ShowConfidence { get; init; }
}
