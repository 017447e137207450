using ScottPlot;
using SkiaSharp;

namespace Chronoscope.Plotting;

/// <summary>
/// DejaVu Sans (regular and bold), shipped inside this assembly and registered with ScottPlot, so every
/// picture renders its text in the same font on any machine, including one with no fonts installed
/// (where ScottPlot would otherwise fall back to a serif face or draw nothing).
/// Every picture of <see cref="Pictures"/> registers it; call <see cref="Register"/> yourself before
/// creating a ScottPlot <see cref="Plot"/> of your own that should use it.
/// </summary>
internal static class EmbeddedFont
{
    /// <summary>
    /// The family name the embedded font is registered under. It differs from the system's
    /// "DejaVu Sans" on purpose: a name no system font has cannot resolve to anything but the embedded file.
    /// </summary>
    public const string FamilyName = "Chronoscope DejaVu Sans";

    private static readonly Lock Gate = new();
    private static EmbeddedFontResolver? s_resolver;

    /// <summary>
    /// Registers the embedded font with ScottPlot (once; later calls do nothing) and makes it ScottPlot's
    /// default and sans-serif font for every plot created afterwards.
    /// </summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (s_resolver is null)
            {
                s_resolver = new EmbeddedFontResolver(
                    LoadTypeface("Chronoscope.Plotting.DejaVuSans.ttf"),
                    LoadTypeface("Chronoscope.Plotting.DejaVuSans-Bold.ttf"));
                Fonts.FontResolvers.Insert(0, s_resolver);
            }
            Fonts.Default = FamilyName;
            Fonts.Sans = FamilyName;
        }
    }

    /// <summary>The embedded typeface itself (regular or bold), for checks and for drawing outside ScottPlot.</summary>
    public static SKTypeface Typeface(bool bold = false)
    {
        Register();
        return bold ? s_resolver!.Bold : s_resolver!.Regular;
    }

    /// <summary>The font's licence (Bitstream Vera, DejaVu changes in the public domain), as shipped.</summary>
    public static string LicenseText()
    {
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream("Chronoscope.Plotting.DejaVu-LICENSE.txt")
            ?? throw new InvalidOperationException("The DejaVu licence resource is missing from Chronoscope.Plotting.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static SKTypeface LoadTypeface(string resource)
    {
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The font resource {resource} is missing from Chronoscope.Plotting.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        using var data = SKData.CreateCopy(memory.ToArray());
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"SkiaSharp could not read the font resource {resource}.");
    }
}
