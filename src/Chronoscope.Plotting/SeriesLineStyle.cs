namespace Chronoscope.Plotting;

/// <summary>How a series' line is stroked: matplotlib's four named line styles.</summary>
public enum SeriesLineStyle
{
    /// <summary>A continuous line (matplotlib <c>'solid'</c>).</summary>
    Solid,

    /// <summary>Dashes of 3.7 × the line width, gaps of 1.6 × (matplotlib <c>'dashed'</c>).</summary>
    Dashed,

    /// <summary>Dots of 1 × the line width, gaps of 1.65 × (matplotlib <c>'dotted'</c>).</summary>
    Dotted,

    /// <summary>Dash 6.4, gap 1.6, dot 1, gap 1.6, in line widths (matplotlib <c>'dashdot'</c>).</summary>
    DashDot,
}
