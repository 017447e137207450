using ScottPlot;
using SkiaSharp;

namespace Chronoscope.Plotting;

/// <summary>
/// A series drawn as L − 1 straight segments, segment i (from t = i to t = i + 1) in its own colour, as matplotlib's
/// <c>LineCollection</c> with <c>array=map</c> colours segment i by map[i]. Unlike matplotlib, a dash pattern runs on
/// across segments (its phase carries over), so a dashed or dotted series looks dashed however short its segments.
/// Segments touching a NaN value, or whose colour is transparent, are not drawn.
/// </summary>
internal sealed class ColoredLinePlot(double[] xs, double[] ys, Color[] segmentColors, float lineWidth, SeriesLineStyle style) : IPlottable
{
    public bool IsVisible { get; set; } = true;

    public IAxes Axes { get; set; } = new Axes();

    public IEnumerable<LegendItem> LegendItems => LegendItem.None;

    /// <summary>The number of segments actually stroked by the last render.</summary>
    public int LastRenderSegmentCount { get; private set; }

    public AxisLimits GetAxisLimits()
    {
        var finite = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(xs[i]) && double.IsFinite(ys[i])).ToArray();
        return finite.Length == 0
            ? AxisLimits.NoLimits
            : new AxisLimits(finite.Min(i => xs[i]), finite.Max(i => xs[i]), finite.Min(i => ys[i]), finite.Max(i => ys[i]));
    }

    public void Render(RenderPack rp)
    {
        var dashes = Theme.DashPattern(style, lineWidth);
        var patternLength = dashes?.Sum() ?? 0f;
        using var paint = new SKPaint
        {
            IsAntialias = true,
            IsStroke = true,
            StrokeWidth = lineWidth,
            StrokeCap = SKStrokeCap.Round,
        };
        var drawn = 0;
        var travelled = 0f; // pixels along the polyline so far: the dash phase of the next segment
        for (var i = 0; i + 1 < xs.Length; i++)
        {
            if (!double.IsFinite(ys[i]) || !double.IsFinite(ys[i + 1]))
                continue;
            var start = Axes.GetPixel(new Coordinates(xs[i], ys[i]));
            var end = Axes.GetPixel(new Coordinates(xs[i + 1], ys[i + 1]));
            var length = MathF.Sqrt(((end.X - start.X) * (end.X - start.X)) + ((end.Y - start.Y) * (end.Y - start.Y)));
            var color = segmentColors[i];
            if (color.A > 0)
            {
                paint.Color = color.ToSKColor();
                using var dash = dashes is null ? null : SKPathEffect.CreateDash(dashes, travelled % patternLength);
                paint.PathEffect = dash;
                rp.Canvas.DrawLine(start.X, start.Y, end.X, end.Y, paint);
                paint.PathEffect = null;
                drawn++;
            }
            travelled += length;
        }
        LastRenderSegmentCount = drawn;
    }
}
