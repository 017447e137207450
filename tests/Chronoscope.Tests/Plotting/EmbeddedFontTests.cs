using System.Text.RegularExpressions;
using Chronoscope.Plotting;
using ScottPlot;

namespace Chronoscope.Tests.Plotting;

public sealed partial class EmbeddedFontTests
{
    [Fact]
    public void Should_Resolve_The_Registered_Family_To_The_Embedded_Typefaces()
    {
        // Given the embedded font registered with ScottPlot
        EmbeddedFont.Register();

        // When ScottPlot is asked for the registered family, regular and bold
        var regular = Fonts.GetTypeface(EmbeddedFont.FamilyName, bold: false, italic: false);
        var bold = Fonts.GetTypeface(EmbeddedFont.FamilyName, bold: true, italic: false);

        // Then it hands out the very typefaces read from the assembly's resources: DejaVu Sans, Book and Bold
        Assert.Same(EmbeddedFont.Typeface(), regular);
        Assert.Same(EmbeddedFont.Typeface(bold: true), bold);
        Assert.Equal("DejaVu Sans", regular.FamilyName);
        Assert.False(regular.IsBold);
        Assert.True(bold.IsBold);
        Assert.Equal(EmbeddedFont.FamilyName, Fonts.Default);
    }

    [Fact]
    public void Should_Draw_Every_Text_Of_A_Picture_In_The_Embedded_Font()
    {
        // Given a picture with a title, axis labels, tick labels and a colour bar label
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem(0.9), Synthetic.PointItem()], "GRAD-CAM - mean"));

        // When it is written as SVG, where each text element names the typeface it was drawn with
        var svg = figure.GetSvgXml();
        var families = FontFamily().Matches(svg).Select(m => m.Groups[1].Value).ToArray();

        // Then there is text, and all of it is DejaVu Sans
        Assert.True(families.Length > 10, $"expected the picture's texts, found {families.Length}");
        Assert.All(families, family => Assert.Equal("DejaVu Sans", family));
        Assert.All(figure.Plots, plot => Assert.Equal(EmbeddedFont.FamilyName, plot.Axes.Title.Label.FontName));
    }

    [Fact]
    public void Should_Draw_Text_The_Embedded_Font_Lacks_In_An_Installed_Font_That_Has_It()
    {
        // Given a class named with a mathematical script A (U+1D49C), which DejaVu Sans lacks (Debian's
        // fonts-dejavu-extra, DejaVu Math TeX Gyre, has it)
        const string name = "\U0001D49C-wave";
        Assert.False(EmbeddedFont.Typeface().ContainsGlyph(0x1D49C));
        var having = InstalledFamiliesWith(0x1D49C);

        // When a picture titled with it is written as SVG
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem() with { ClassName = name }], "GRAD-CAM - mean"));
        var families = FontFamily().Matches(figure.GetSvgXml()).Select(m => m.Groups[1].Value).ToArray();

        // Then the title is drawn in the installed font that has it (a box before), every other text still in DejaVu
        // Sans; on a machine without such a font, the title stays in DejaVu Sans too
        if (having.Count == 0)
        {
            Assert.All(families, family => Assert.Equal("DejaVu Sans", family));
            return;
        }
        Assert.Contains(figure.Plots[0].Axes.Title.Label.FontName, having);
        Assert.Equal(1, families.Count(f => f == figure.Plots[0].Axes.Title.Label.FontName));
        Assert.Equal(families.Length - 1, families.Count(f => f == "DejaVu Sans"));
    }

    [Fact]
    public void Should_Keep_A_Legend_Item_In_The_Font_That_Draws_It_At_Every_Render()
    {
        // Given a line whose legend text DejaVu Sans cannot draw (a plottable's legend item is made afresh at each render)
        EmbeddedFont.Register();
        var plot = new Plot();
        plot.Add.Scatter(new double[] { 0, 1 }, new double[] { 0, 1 }).LegendText = "query (\U0001D49Chi)";
        plot.ShowLegend();
        using var figure = Figure.FromPlot(plot, 400, 300);

        // When the figure is written twice
        string[] Families() => [.. FontFamily().Matches(figure.GetSvgXml()).Select(m => m.Groups[1].Value)];
        var (first, second) = (Families(), Families());

        // Then both times exactly one text, the legend's, is in another font than DejaVu Sans, where the machine has one
        var others = InstalledFamiliesWith(0x1D49C).Count == 0 ? 0 : 1;
        Assert.Equal(others, first.Count(f => f != "DejaVu Sans"));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Should_Spell_A_Character_No_Font_Here_Draws_As_Its_Code_Point()
    {
        // Given class names with a character no font of this machine draws (a CJK one where no CJK font is installed,
        // else one from the private use area), which drew as a box in PNG and vanished from SVG
        var missing = new[] { 0x732B, 0x1FAE8, 0xF8FF, 0x10FFFD }.First(c => InstalledFamiliesWith(c).Count == 0 && !EmbeddedFont.Typeface().ContainsGlyph(c));
        var (name, spelled) = ($"cat {char.ConvertFromUtf32(missing)}", $"cat U+{missing:X4}");

        // When a map titled with it and a confusion matrix with it on both axes are written as SVG
        using var map = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem() with { ClassName = name }], "GRAD-CAM - mean"));
        using var matrix = Pictures.PlotConfusionMatrix(new ConfusionCounts(new[,] { { 3, 1 }, { 0, 4 } }, [name, "dog"]));
        var (mapSvg, matrixSvg) = (map.GetSvgXml(), matrix.GetSvgXml());

        // Then the character is spelled as its code point in the title and in both axes' tick labels, no text is empty,
        // and characters a font draws are kept
        Assert.Contains($"[{spelled}]", mapSvg, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(matrixSvg, Regex.Escape($">{spelled}<")).Count);
        Assert.Equal(2, Regex.Matches(matrixSvg, ">dog<").Count);
        Assert.DoesNotMatch("<text[^>]*></text>", mapSvg + matrixSvg);
    }

    private static List<string> InstalledFamiliesWith(int codePoint) =>
        [.. SkiaSharp.SKFontManager.Default.FontFamilies.Where(family =>
        {
            using var typeface = SkiaSharp.SKFontManager.Default.MatchFamily(family);
            return typeface?.ContainsGlyph(codePoint) == true;
        })];

    [Fact]
    public void Should_Ship_The_Fonts_Licence()
    {
        var licence = EmbeddedFont.LicenseText();
        Assert.Contains("Bitstream", licence, StringComparison.Ordinal);
        Assert.Contains("DejaVu changes are in public domain", licence, StringComparison.Ordinal);
    }

    [GeneratedRegex("font-family=\"([^\"]*)\"")]
    private static partial Regex FontFamily();
}
