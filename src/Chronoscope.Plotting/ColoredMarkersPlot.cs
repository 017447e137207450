using ScottPlot;
using SkiaSharp;

namespace Chronoscope.Plotting;

/// <summary>
/// A series drawn as filled circles, point t in its own colour (matplotlib's <c>scatter(t, y, c=map)</c>), each
/// with a faint grey outline so that points whose colour is the background's (white in <c>hot_r</c>) stay visible.
/// </summary>
internal sealed class ColoredMarkersPlot(double[] xs, double[] ys, Color[] pointColors, float diameter) : IPlottable
{
    public bool IsVisible { get; set; } = true;

    public IAxes Axes { get; set; } = new Axes();

    public IEnumerable<LegendItem> LegendItems => LegendItem.None;

    public AxisLimits GetAxisLimits()
    {
        var finite = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(ys[i])).ToArray();
        return finite.Length == 0
            ? AxisLimits.NoLimits
            : new AxisLimits(finite.Min(i => xs[i]), finite.Max(i => xs[i]), finite.Min(i => ys[i]), finite.Max(i => ys[i]));
    }

    public void Render(RenderPack rp)
    {
        using var paint = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        using var outline = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.75f, Color = new SKColor(0, 0, 0, 56) };
        for (var i = 0; i < xs.Length; i++)
        {
            if (!double.IsFinite(ys[i]) || pointColors[i].A == 0)
                continue;
            var center = Axes.GetPixel(new Coordinates(xs[i], ys[i]));
            paint.Color = pointColors[i].ToSKColor();
            rp.Canvas.DrawCircle(center.X, center.Y, diameter / 2, paint);
            rp.Canvas.DrawCircle(center.X, center.Y, diameter / 2, outline);
        }
    }
}
