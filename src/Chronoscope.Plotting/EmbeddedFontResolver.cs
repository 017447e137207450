using ScottPlot;
using SkiaSharp;

namespace Chronoscope.Plotting;

/// <summary>Answers ScottPlot's requests for <see cref="EmbeddedFont.FamilyName"/> with the embedded typefaces.</summary>
internal sealed class EmbeddedFontResolver(SKTypeface regular, SKTypeface bold) : IFontResolver
{
    public SKTypeface Regular { get; } = regular;

    public SKTypeface Bold { get; } = bold;

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
        string.Equals(fontName, EmbeddedFont.FamilyName, StringComparison.Ordinal) ? (bold ? Bold : Regular) : null;

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
        CreateTypeface(fontName, weight >= FontWeight.SemiBold, slant != FontSlant.Upright);
}
