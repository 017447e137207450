using Chronoscope.Data;

namespace Chronoscope.Plotting;

/// <summary>How <see cref="Pictures.PlotClassMap"/> draws a class's mean map.</summary>
public sealed record ClassMapPlotOptions
{
    /// <summary>A matplotlib colormap name for the mean series' colours. Defaults to <c>Spectral_r</c>, as the CAM pictures.</summary>
    public string Colormap { get; init; } = "Spectral_r";

    /// <summary>The width of the coloured mean series in points. Defaults to 3 (a little thinner than a CAM picture's 4: the band sits around it).</summary>
    public double LineWidth { get; init; } = 3;

    /// <summary>Draw the series' spread (± one standard deviation) as a grey band behind the mean series. Defaults to true.</summary>
    public bool ShowSeriesSpread { get; init; } = true;

    /// <summary>Readable class names for the title (by index or by label, see <see cref="Data.ClassNames"/>). Defaults to null: the labels.</summary>
    public ClassNames? ClassNames { get; init; }

    /// <summary>The figure width in inches. Defaults to 6, as a CAM picture.</summary>
    public double WidthInches { get; init; } = 6;

    /// <summary>The figure height in inches. Defaults to 4.5: the series above (60%), the map and its band below (40%, at most 1.8 inches).</summary>
    public double HeightInches { get; init; } = 4.5;
}
