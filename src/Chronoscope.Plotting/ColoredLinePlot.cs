using ScottPlot;
using SkiaSharp;

namespace Chronoscope.Plotting;

/// <summary>
/// A series drawn as L − 1 straight segments, segment i (from t = i to t = i + 1) in its own colour, as matplotlib's
/// <c>LineCollection</c> with <c>array=map</c> colours segment i by map[i]. Unlike matplotlib, a dash pattern runs on
/// across segments (its phase carries over), so a dashed or dotted series looks dashed however short its segments.
/// Segments touching a NaN value, or whose colour is transparent, are not drawn.
/// With <c>segmentsPerColor</c> above 1, consecutive segments are stroked together as one polyline per colour (run j
/// covers segments j·n to j·n + n − 1 and takes <c>segmentColors[j]</c>): the same line with coarser colours, and far
/// fewer SVG elements.
/// </summary>
internal sealed class ColoredLinePlot(double[] xs, double[] ys, Color[] segmentColors, float lineWidth, SeriesLineStyle style, int segmentsPerColor = 1) : IPlottable
{
    public bool IsVisible { get; set; } = true;

    public IAxes Axes { get; set; } = new Axes();

    public IEnumerable<LegendItem> LegendItems => LegendItem.None;

    /// <summary>The number of strokes (segments, or runs of segments) actually drawn by the last render.</summary>
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
            StrokeJoin = SKStrokeJoin.Round,
        };
        var drawn = 0;
        var travelled = 0f; // pixels along the polyline so far: the dash phase of the next stroke
        var run = Math.Max(1, segmentsPerColor);
        for (var first = 0; first + 1 < xs.Length; first += run)
        {
            var color = segmentColors[first / run];
            var last = Math.Min(first + run, xs.Length - 1); // the run's last point
            using var path = new SKPath();
            var open = false;
            var strokeStart = travelled;
            for (var i = first; i < last; i++)
            {
                if (!double.IsFinite(ys[i]) || !double.IsFinite(ys[i + 1]))
                {
                    open = false; // a gap: the next finite segment starts a new subpath
                    continue;
                }
                var start = Axes.GetPixel(new Coordinates(xs[i], ys[i]));
                var end = Axes.GetPixel(new Coordinates(xs[i + 1], ys[i + 1]));
                if (!open)
                {
                    path.MoveTo(start.X, start.Y);
                    open = true;
                }
                path.LineTo(end.X, end.Y);
                travelled += MathF.Sqrt(((end.X - start.X) * (end.X - start.X)) + ((end.Y - start.Y) * (end.Y - start.Y)));
            }
            if (color.A == 0 || path.IsEmpty)
                continue;
            paint.Color = color.ToSKColor();
            using var dash = dashes is null ? null : SKPathEffect.CreateDash(dashes, strokeStart % patternLength);
            paint.PathEffect = dash;
            if (run == 1)
            {
                // One segment: a line, as before runs existed (an SVG path of one move and one line).
                var start = Axes.GetPixel(new Coordinates(xs[first], ys[first]));
                var end = Axes.GetPixel(new Coordinates(xs[first + 1], ys[first + 1]));
                rp.Canvas.DrawLine(start.X, start.Y, end.X, end.Y, paint);
            }
            else
            {
                rp.Canvas.DrawPath(path, paint);
            }
            paint.PathEffect = null;
            drawn++;
        }
        LastRenderSegmentCount = drawn;
    }
}
