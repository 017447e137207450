using ScottPlot;

namespace Chronoscope.Plotting;

/// <summary>One panel of a <see cref="Figure"/>: a plot, where it is drawn, and the grid cell it belongs to.</summary>
internal sealed record FigurePanel(Plot Plot, PixelRect Rect, int Cell);
