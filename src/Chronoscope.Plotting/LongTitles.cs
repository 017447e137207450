using ScottPlot;
using SkiaSharp;

namespace Chronoscope.Plotting;

/// <summary>
/// A title wider than its panel (long class names in "[a - b - c] - GRAD-CAM - mean") is broken into lines, before a
/// " - " where it can, else at a space, at most <see cref="MaxLines"/> of them; what still does not fit is cut with an
/// ellipsis. ScottPlot would draw it on one line, cut off at both sides of the picture.
/// </summary>
internal static class LongTitles
{
    public const int MaxLines = 4;

    /// <summary>
    /// Wraps the title of <paramref name="plot"/>, centred over the data area of its last render, to the width it has
    /// within <paramref name="panel"/>; true when it changed.
    /// </summary>
    public static bool Fit(Plot plot, PixelRect panel)
    {
        var centre = plot.LastRender.DataRect.HorizontalCenter;
        var width = 2 * Math.Min(centre - panel.Left, panel.Right - centre) - 8; // a little air at the edge
        var label = plot.Axes.Title.Label;
        if (string.IsNullOrEmpty(label.Text))
            return false;
        using var font = new SKFont(Fonts.GetTypeface(label.FontName, label.Bold, label.Italic), label.FontSize);
        var lines = label.Text.Split('\n');
        if (lines.All(line => font.MeasureText(line) <= width))
            return false;
        var wrapped = lines.SelectMany(line => Wrap(line, font, width)).ToList();
        if (wrapped.Count > MaxLines)
            wrapped = [.. wrapped.Take(MaxLines - 1), Cut(string.Join(' ', wrapped.Skip(MaxLines - 1)), font, width)];
        label.Text = string.Join('\n', wrapped);
        return true;
    }

    // Greedy: pieces (each " - " starts one, so a break falls before it) joined while the line fits; a piece wider than
    // the line is broken at its spaces, a word wider than the line cut.
    private static List<string> Wrap(string line, SKFont font, float width)
    {
        var pieces = line.Split(" - ").Select((piece, i) => i == 0 ? piece : "- " + piece)
            .SelectMany(piece => font.MeasureText(piece) <= width ? [piece] : piece.Split(' '))
            .Select(piece => Cut(piece, font, width));
        var lines = new List<string>();
        foreach (var piece in pieces)
        {
            if (lines.Count > 0 && font.MeasureText(lines[^1] + " " + piece) <= width)
                lines[^1] += " " + piece;
            else
                lines.Add(piece);
        }
        return lines;
    }

    private static string Cut(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
            return text;
        // The longest start that fits with the ellipsis, found by halving (a name may be thousands of characters).
        int fits = 0, fails = text.Length;
        while (fails - fits > 1)
        {
            var middle = (fits + fails) / 2;
            (fits, fails) = font.MeasureText(text[..middle] + "…") <= width ? (middle, fails) : (fits, middle);
        }
        if (fits > 0 && char.IsHighSurrogate(text[fits - 1]))
            fits--;
        return text[..fits] + "…";
    }
}
