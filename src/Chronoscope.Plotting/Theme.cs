using ScottPlot;

namespace Chronoscope.Plotting;

/// <summary>Sizes and the look shared by every picture: 100 dots per inch, text sizes in points as matplotlib's defaults.</summary>
internal static class Theme
{
    /// <summary>Dots per inch: a figure of w × h inches is 100·w × 100·h pixels, as the reference's matplotlib figures.</summary>
    public const double Dpi = 100;

    public static int Pixels(double inches) => Math.Max(1, (int)Math.Round(inches * Dpi));

    /// <summary>Points (1/72 inch), matplotlib's unit for line widths and font sizes, to pixels at <see cref="Dpi"/>.</summary>
    public static float PointsToPixels(double points) => (float)(points * Dpi / 72.0);

    public static readonly float TitleSize = PointsToPixels(12);   // matplotlib axes.titlesize 'large'
    public static readonly float LabelSize = PointsToPixels(10);   // axes.labelsize 'medium'
    public static readonly float TickSize = PointsToPixels(9);     // a little under matplotlib's 10 pt: grids of small panels stay legible
    public static readonly float LegendSize = PointsToPixels(9);

    public static readonly Color WrongPrediction = Color.FromHex("#d62728"); // matplotlib tab:red
    public static readonly Color SingleSeries = Color.FromHex("#ff7f0e");    // matplotlib 'orange' of show_timeseries is #ffa500; tab:orange reads better on white

    /// <summary>matplotlib's default colour cycle (tab10), for channels and curves.</summary>
    public static readonly Color[] Cycle = Color.FromHex(
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]);

    /// <summary>A new plot whose text uses the embedded font at the theme's sizes.</summary>
    public static Plot NewPlot()
    {
        EmbeddedFont.Register();
        var plot = new Plot();
        plot.Axes.Title.Label.FontName = EmbeddedFont.FamilyName;
        plot.Axes.Title.Label.FontSize = TitleSize;
        plot.Axes.Title.Label.Bold = false;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontName = EmbeddedFont.FamilyName;
            axis.Label.FontSize = LabelSize;
            axis.Label.Bold = false;
            axis.TickLabelStyle.FontName = EmbeddedFont.FamilyName;
            axis.TickLabelStyle.FontSize = TickSize;
        }
        plot.Legend.FontName = EmbeddedFont.FamilyName;
        plot.Legend.FontSize = LegendSize;
        return plot;
    }

    public static void Title(Plot plot, string text, Color? color = null)
    {
        plot.Axes.Title.Label.Text = text;
        plot.Axes.Title.Label.ForeColor = color ?? Colors.Black;
    }

    /// <summary>The rectangle of cell (row, column) of a rows × columns grid over a width × height canvas.</summary>
    public static PixelRect Cell(int width, int height, GridShape grid, int row, int column)
    {
        float cellWidth = (float)width / grid.Columns, cellHeight = (float)height / grid.Rows;
        return new PixelRect(column * cellWidth, (column + 1) * cellWidth, (row + 1) * cellHeight, row * cellHeight);
    }

    /// <summary>Band <paramref name="index"/> of <paramref name="count"/> equal horizontal bands of <paramref name="cell"/>, top first.</summary>
    public static PixelRect Band(PixelRect cell, int index, int count)
    {
        var bandHeight = cell.Height / count;
        return new PixelRect(cell.Left, cell.Right, cell.Top + ((index + 1) * bandHeight), cell.Top + (index * bandHeight));
    }

    /// <summary>
    /// The on/off lengths in pixels of a line stroked with round caps, null for a solid line. They come from
    /// matplotlib's patterns (lines.dashed_pattern 3.7, 1.6; dotted 1, 1.65; dashdot 6.4, 1.6, 1, 1.6; in line widths),
    /// each dash shortened by one line width and each gap lengthened by one, because a round cap adds half a width at
    /// both ends: the ink then has matplotlib's lengths, dots are round, and segments of one colour-coded line join
    /// without notches.
    /// </summary>
    public static float[]? DashPattern(SeriesLineStyle style, float lineWidth)
    {
        float[]? unit = style switch
        {
            SeriesLineStyle.Solid => null,
            SeriesLineStyle.Dashed => [3.7f, 1.6f],
            SeriesLineStyle.Dotted => [1f, 1.65f],
            SeriesLineStyle.DashDot => [6.4f, 1.6f, 1f, 1.6f],
            _ => throw new ArgumentOutOfRangeException(nameof(style), style, "expected Solid, Dashed, Dotted or DashDot"),
        };
        // Skia draws a zero-length dash with a round cap as a dot; keep it a hair above zero to be safe.
        return unit?.Select((u, i) => i % 2 == 0 ? Math.Max(0.01f, (u - 1) * lineWidth) : (u + 1) * lineWidth).ToArray();
    }
}
