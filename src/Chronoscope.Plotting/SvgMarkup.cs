using System.Globalization;
using System.Xml.Linq;

namespace Chronoscope.Plotting;

/// <summary>
/// Fixes SkiaSharp's SVG so browsers read it without complaint, and turns a whole SVG document into an element to
/// place inside an HTML page.
/// </summary>
internal static partial class SvgMarkup
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly XNamespace XLink = "http://www.w3.org/1999/xlink";

    /// <summary>
    /// Skia writes each glyph position of a <c>&lt;text&gt;</c> into its <c>x</c> and <c>y</c> lists with a trailing
    /// separator (<c>x="-3.9, 2.1, "</c>), which browsers reject with a console error ("Expected length"), and indents
    /// the text itself with newlines and tabs, which can take glyph positions. Both are removed.
    /// </summary>
    public static XDocument Clean(string svg)
    {
        var document = XDocument.Parse(svg, LoadOptions.None);
        foreach (var text in document.Descendants(Svg + "text"))
        {
            foreach (var name in (string[])["x", "y"])
            {
                if (text.Attribute(name) is { } list)
                    list.Value = list.Value.Trim().TrimEnd(',').Trim();
            }
            foreach (var node in text.Nodes().OfType<XText>())
                node.Value = node.Value.Trim();
        }
        foreach (var image in document.Descendants(Svg + "image"))
        {
            // Heatmap cells and colour bars are tiny bitmaps stretched large: square pixels, as Skia draws them,
            // rather than the blur browsers give a stretched image by default.
            image.SetAttributeValue("image-rendering", "optimizeSpeed");
            image.SetAttributeValue("style", "image-rendering:pixelated");
        }
        return document;
    }

    /// <summary>A standalone SVG file: <see cref="Clean"/>ed, with its XML declaration.</summary>
    public static string Document(string svg)
    {
        var document = Clean(svg);
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + document.ToString(SaveOptions.DisableFormatting) + "\n";
    }

    /// <summary>
    /// The <c>&lt;svg&gt;</c> element of a document, to inline in HTML: scalable (a <c>viewBox</c> of its pixel size,
    /// width 100%, height from the aspect ratio), labelled for screen readers with <paramref name="label"/>, and with
    /// every id (clip paths, the colour bar's image) prefixed by <paramref name="idPrefix"/> so that many pictures on
    /// one page do not share ids — a reference to a repeated id would clip one picture by another's rectangle.
    /// </summary>
    public static string Inline(string svg, string idPrefix, string label)
    {
        var root = Clean(svg).Root ?? throw new ArgumentException("The SVG document has no root element.", nameof(svg));
        var width = Number(root.Attribute("width")?.Value, "width");
        var height = Number(root.Attribute("height")?.Value, "height");
        root.SetAttributeValue("viewBox", string.Create(CultureInfo.InvariantCulture, $"0 0 {width} {height}"));
        root.SetAttributeValue("width", "100%");
        root.SetAttributeValue("height", null);
        root.SetAttributeValue("role", "img");
        root.SetAttributeValue("aria-label", label);

        MergeStrokes(root);
        GroupStrokes(root);
        foreach (var element in root.DescendantsAndSelf())
        {
            if (element.Attribute("stroke-miterlimit") is { Value: "4" } miter)
                miter.Remove(); // SVG's default
            if (element.Attribute("d") is { } path)
                path.Value = Coordinates().Replace(path.Value, RoundCoordinate);
            if (element.Name == Svg + "text")
            {
                foreach (var list in element.Attributes().Where(a => a.Name.LocalName is "x" or "y"))
                    list.Value = Coordinates().Replace(list.Value, RoundCoordinate);
            }
            foreach (var attribute in element.Attributes())
            {
                if (attribute.IsNamespaceDeclaration)
                    continue;
                if (attribute.Name == "id")
                    attribute.Value = idPrefix + attribute.Value;
                else if ((attribute.Name == XLink + "href" || attribute.Name == "href") && attribute.Value.StartsWith('#'))
                    attribute.Value = "#" + idPrefix + attribute.Value[1..];
                else if (attribute.Value.Contains("url(#", StringComparison.Ordinal))
                    attribute.Value = attribute.Value.Replace("url(#", "url(#" + idPrefix, StringComparison.Ordinal);
            }
        }
        return root.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>
    /// Joins runs of sibling <c>&lt;path&gt;</c> elements that differ only in their <c>d</c> into one path (ScottPlot
    /// strokes each tick mark on its own: a hundred elements per picture). Only opaque, unfilled strokes are joined,
    /// whose look does not change when they become one shape.
    /// </summary>
    private static void MergeStrokes(XElement root)
    {
        foreach (var parent in root.DescendantsAndSelf().ToList())
        {
            XElement? run = null;
            string? runKey = null;
            foreach (var child in parent.Elements().ToList())
            {
                var key = StrokeKey(child);
                if (key is not null && key == runKey)
                {
                    run!.SetAttributeValue("d", run.Attribute("d")!.Value + child.Attribute("d")!.Value);
                    child.Remove();
                    continue;
                }
                (run, runKey) = key is null ? (null, null) : (child, key);
            }
        }
    }

    /// <summary>
    /// Puts runs of three or more sibling paths that differ only in <c>stroke</c> and <c>d</c> (a series drawn as
    /// segments of many colours) into a <c>&lt;g&gt;</c> that carries their shared presentation attributes once; these
    /// are inherited, so each path draws as before.
    /// </summary>
    private static void GroupStrokes(XElement root)
    {
        foreach (var parent in root.DescendantsAndSelf().ToList())
        {
            var children = parent.Elements().ToList();
            for (var start = 0; start < children.Count;)
            {
                var key = SharedKey(children[start]);
                var end = start + 1;
                while (key is not null && end < children.Count && SharedKey(children[end]) == key)
                    end++;
                if (key is not null && end - start >= 3)
                {
                    var group = new XElement(Svg + "g", children[start].Attributes().Where(a => a.Name.LocalName is not ("d" or "stroke")).Select(a => new XAttribute(a)));
                    children[start].AddBeforeSelf(group);
                    for (var i = start; i < end; i++)
                    {
                        children[i].Remove();
                        group.Add(new XElement(Svg + "path", children[i].Attributes().Where(a => a.Name.LocalName is "d" or "stroke").Select(a => new XAttribute(a))));
                    }
                }
                start = end;
            }
        }
    }

    /// <summary>A path's attributes other than <c>stroke</c> and <c>d</c> when all are inherited presentation attributes; else null.</summary>
    private static string? SharedKey(XElement element)
    {
        if (element.Name != Svg + "path" || element.Attribute("d") is null || element.Attribute("stroke") is null)
            return null;
        var shared = element.Attributes().Where(a => a.Name.LocalName is not ("d" or "stroke")).ToList();
        if (!shared.All(a => a.Name.Namespace == XNamespace.None && a.Name.LocalName is "fill" or "fill-opacity" or "stroke-width" or "stroke-linecap"
                or "stroke-linejoin" or "stroke-miterlimit" or "stroke-opacity" or "stroke-dasharray"))
            return null;
        return string.Join("\u0001", shared.Select(a => $"{a.Name}={a.Value}"));
    }

    /// <summary>A pixel coordinate to a tenth of a pixel (Skia writes six digits), without a trailing <c>.0</c>.</summary>
    private static string RoundCoordinate(System.Text.RegularExpressions.Match match)
    {
        var value = Math.Round(double.Parse(match.Value, CultureInfo.InvariantCulture), 1);
        return value == 0 ? "0" : value.ToString("0.#", CultureInfo.InvariantCulture);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"-?\d+\.\d{2,}")]
    private static partial System.Text.RegularExpressions.Regex Coordinates();

    /// <summary>The attributes of an opaque unfilled path other than its <c>d</c>, or null when it cannot be joined.</summary>
    private static string? StrokeKey(XElement element)
    {
        if (element.Name != Svg + "path" || element.Attribute("d") is null || element.Attribute("fill")?.Value != "none")
            return null;
        var attributes = element.Attributes().Where(a => a.Name != "d").ToList();
        if (attributes.Any(a => a.Name.LocalName is "id" or "opacity" or "stroke-opacity" or "stroke-dasharray" or "transform" or "clip-path"))
            return null;
        return string.Join("\u0001", attributes.Select(a => $"{a.Name}={a.Value}"));
    }

    private static double Number(string? text, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"Expected the SVG's {name} as a number of pixels, found \"{text}\".");
}
