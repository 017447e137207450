using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace Chronoscope.Plotting;

/// <summary>
/// Text the embedded DejaVu Sans cannot draw (class or channel names in Chinese, Japanese, emoji...) is drawn in a font
/// of this machine that can, found through its font configuration. A character no font here draws is spelled as its
/// code point (猫 as U+732B): a box would hide which class a label names, and SkiaSharp's SVG drops such characters,
/// leaving the label empty. Text DejaVu Sans covers keeps it, so pictures stay alike from machine to machine.
/// </summary>
internal static class GlyphFallback
{
    /// <summary>
    /// Gives every text of <paramref name="plot"/> that needs one a font that draws it (ticks as last generated);
    /// true when a font or a text changed.
    /// </summary>
    public static bool Apply(Plot plot)
    {
        var changed = Fit(plot.Axes.Title.Label);
        foreach (var axis in plot.Axes.GetAxes())
            changed |= Fit(axis.Label) | FitTicks(axis);
        foreach (var bar in plot.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>())
            changed |= Fit(bar.LabelStyle) | FitTicks(bar.Axis);
        foreach (var text in plot.GetPlottables().OfType<ScottPlot.Plottables.Text>())
            changed |= Fit(text.LabelStyle);
        var items = plot.Legend.GetItems(); // with the legend's font and size applied
        var refitted = items.Where(item => Fit(item.LabelStyle, legend: true)).ToList();
        if (refitted.Count > 0)
        {
            // A plottable's legend item is made afresh at each render and would lose its font and shift: every item
            // is kept as the legend's own, in the same order, and the legend no longer imposes its font.
            plot.Legend.DisplayPlottableLegendItems = false;
            plot.Legend.FontName = null;
            plot.Legend.ManualItems = [.. items];
            changed = true;
        }
        return changed;
    }

    /// <summary>An axis's tick labels: spelled where no font draws them (class names are manual ticks), then fitted.</summary>
    private static bool FitTicks(IAxis axis)
    {
        var style = axis.TickLabelStyle;
        var typeface = TypefaceFor([.. axis.TickGenerator?.Ticks.Select(t => t.Label) ?? []], style.Bold);
        var spelled = false;
        if (axis.TickGenerator is ScottPlot.TickGenerators.NumericManual { Ticks.Length: > 0 } manual)
        {
            var face = typeface ?? EmbeddedFont.Typeface(style.Bold);
            Tick[] ticks = [.. manual.Ticks.Select(t => new Tick(t.Position, Spelled(t.Label, face), t.IsMajor))];
            spelled = !ticks.SequenceEqual(manual.Ticks);
            if (spelled)
                axis.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        }
        return Draw(style, typeface) | spelled;
    }

    /// <summary>A label's own text: spelled where no font draws it, then fitted.</summary>
    private static bool Fit(LabelStyle style, bool legend = false)
    {
        var typeface = TypefaceFor([style.Text], style.Bold);
        var text = Spelled(style.Text, typeface ?? EmbeddedFont.Typeface(style.Bold));
        var spelled = !string.Equals(text, style.Text, StringComparison.Ordinal);
        style.Text = text;
        return Draw(style, typeface, legend) | spelled;
    }

    /// <summary>Draws <paramref name="style"/> in <paramref name="typeface"/> where one was chosen (null keeps the embedded font); true when it was.</summary>
    private static bool Draw(LabelStyle style, SKTypeface? typeface, bool legend = false)
    {
        if (typeface is null)
            return false;
        style.FontName = typeface.FamilyName;
        // ScottPlot places a label's baseline by its font's bounding box (issue 3700), which is far taller in some
        // fonts (math, CJK): shifted back, the text sits where DejaVu Sans would put it. The offset is in the
        // picture's axes, before the rotation: a label turned a quarter (a vertical axis's) moves sideways.
        var shift = Baseline(EmbeddedFont.Typeface(style.Bold), style, legend) - Baseline(typeface, style, legend);
        var turn = style.Rotation * Math.PI / 180;
        style.OffsetX -= (float)(shift * Math.Sin(turn));
        style.OffsetY += (float)(shift * Math.Cos(turn));
        return true;
    }

    // The baseline below a label's anchor as ScottPlot places it: the text's box (a line high) aligned at the anchor,
    // then from the box's bottom Top + CapHeight - Bottom / 2, or -Bottom for a legend's item.
    private static float Baseline(SKTypeface typeface, LabelStyle style, bool legend)
    {
        using var font = new SKFont(typeface, style.FontSize);
        var lineHeight = font.GetFontMetrics(out var metrics);
        return lineHeight * style.Alignment.VerticalFraction() + (legend ? -metrics.Bottom : metrics.Top + metrics.CapHeight - metrics.Bottom / 2);
    }

    /// <summary>
    /// Null when the embedded font draws every character of <paramref name="texts"/>; else the installed typeface that
    /// draws the most of them, or null when none draws more than the embedded one.
    /// </summary>
    internal static SKTypeface? TypefaceFor(IReadOnlyList<string?> texts, bool bold)
    {
        var embedded = EmbeddedFont.Typeface(bold);
        var codePoints = texts.SelectMany(CodePoints).Distinct().ToList();
        var fewest = codePoints.Count(c => !embedded.ContainsGlyph(c));
        if (fewest == 0)
            return null;
        SKTypeface? best = null;
        foreach (var typeface in Installed.Value)
        {
            var lacks = codePoints.Count(c => !typeface.ContainsGlyph(c));
            if (lacks < fewest)
                (best, fewest) = (typeface, lacks);
        }
        return best;
    }

    // One typeface per installed family, read when text first needs one (SkiaSharp's MatchCharacter finds nothing with
    // the font manager its Linux build uses, so the families are searched instead).
    private static readonly Lazy<IReadOnlyList<SKTypeface>> Installed = new(() =>
        [.. SKFontManager.Default.FontFamilies.Order(StringComparer.Ordinal)
            .Select(family => SKFontManager.Default.MatchFamily(family))
            .Where(typeface => typeface is not null)]);

    /// <summary><paramref name="text"/> with each character <paramref name="typeface"/> cannot draw spelled as its code point (U+732B).</summary>
    internal static string Spelled(string? text, SKTypeface typeface)
    {
        if (string.IsNullOrEmpty(text) || CodePoints(text).All(typeface.ContainsGlyph))
            return text ?? "";
        var spelled = new System.Text.StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var codePoint = char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
            var width = codePoint > char.MaxValue ? 2 : 1;
            if (Drawn(codePoint) && !typeface.ContainsGlyph(codePoint))
                spelled.Append(CultureInfo.InvariantCulture, $"U+{codePoint:X4}");
            else
                spelled.Append(text, i, width);
            i += width - 1;
        }
        return spelled.ToString();
    }

    // Code points that draw a glyph: controls, spaces, joiners and variation selectors are not looked up.
    private static IEnumerable<int> CodePoints(string? text)
    {
        if (string.IsNullOrEmpty(text))
            yield break;
        for (var i = 0; i < text.Length; i++)
        {
            int codePoint = text[i];
            if (char.IsSurrogatePair(text, i))
                codePoint = char.ConvertToUtf32(text[i], text[++i]);
            if (Drawn(codePoint))
                yield return codePoint;
        }
    }

    private static bool Drawn(int codePoint) =>
        CharUnicodeInfo.GetUnicodeCategory(codePoint) is not (UnicodeCategory.Control or UnicodeCategory.SpaceSeparator
            or UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.Surrogate);
}
