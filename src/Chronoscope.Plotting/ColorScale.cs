using ScottPlot;

namespace Chronoscope.Plotting;

/// <summary>
/// A <see cref="Colormap"/> over [low, high] as ScottPlot's colour bar wants it. The bar's position p ∈ [0, 1]
/// stands for the value low + p·(high − low) and takes that value's colour by the same rule the lines use.
/// </summary>
internal sealed class ColorScale(Colormap colormap, double low, double high) : IHasColorAxis, IColormap
{
    public double Low { get; } = low;

    public double High { get; } = high;

    public Colormap Table { get; } = colormap;

    public IColormap Colormap => this;

    public string Name => Table.Name;

    public ScottPlot.Range GetRange() => new(Low, High);

    public Color GetColor(double position) => Table.ColorOf(Low + (position * (High - Low)), Low, High);

    public Color ColorOf(double value) => Table.ColorOf(value, Low, High);
}
