using ScottPlot;
using SkiaSharp;

namespace Chronoscope.Plotting;

/// <summary>
/// A finished picture: one or more ScottPlot panels laid out on a canvas of <see cref="Width"/> ×
/// <see cref="Height"/> pixels (inches × 100 dots per inch). Grids leave their unused cells empty (white).
/// Save it as PNG or SVG; every save is atomic (a temporary file in the same folder, then a rename), so a reader
/// never sees half a file and an existing file is replaced whole.
/// </summary>
public sealed class Figure : IDisposable
{
    private readonly FigurePanel[] _panels;

    internal Figure(int width, int height, int rows, int columns, IReadOnlyList<FigurePanel> panels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        Width = width;
        Height = height;
        Rows = rows;
        Columns = columns;
        _panels = [.. panels];
    }

    /// <summary>The width in pixels.</summary>
    public int Width { get; }

    /// <summary>The height in pixels.</summary>
    public int Height { get; }

    /// <summary>The number of rows of the figure's grid of cells (1 for a single panel).</summary>
    public int Rows { get; }

    /// <summary>The number of columns of the figure's grid of cells (1 for a single panel).</summary>
    public int Columns { get; }

    /// <summary>The number of grid cells that hold something (the rest are hidden: left blank).</summary>
    public int UsedCells => _panels.Select(p => p.Cell).Distinct().Count();

    /// <summary>The panels in drawing order (row by row; a multichannel cell holds one panel per channel, top to bottom).</summary>
    public IReadOnlyList<Plot> Plots => [.. _panels.Select(p => p.Plot)];

    /// <summary>Where each panel of <see cref="Plots"/> is drawn, in pixels from the top-left corner.</summary>
    public IReadOnlyList<PixelRect> PanelRectangles => [.. _panels.Select(p => p.Rect)];

    /// <summary>The grid cell (row-major index) each panel of <see cref="Plots"/> belongs to.</summary>
    public IReadOnlyList<int> PanelCells => [.. _panels.Select(p => p.Cell)];

    /// <summary>Wraps a ScottPlot plot of your own so it can be saved atomically like every picture.</summary>
    public static Figure FromPlot(Plot plot, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        return new Figure(width, height, 1, 1, [new FigurePanel(plot, new PixelRect(0, width, height, 0), 0)]);
    }

    /// <summary>Draws the figure onto <paramref name="canvas"/>, whose origin is the figure's top-left corner.</summary>
    public void Render(SKCanvas canvas)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        AlignPanels();
        canvas.Clear(SKColors.White);
        foreach (var panel in _panels)
        {
            // A plot clears the whole canvas before it renders unless told not to; panels share one canvas.
            panel.Plot.RenderManager.ClearCanvasBeforeEachRender = false;
            canvas.Save();
            canvas.ClipRect(panel.Rect.ToSKRect());
            panel.Plot.Render(canvas, panel.Rect);
            canvas.Restore();
        }
    }

    private bool _aligned;

    /// <summary>
    /// Lines up the data areas of panels that share a column (same left and right edges) or a row (same top and
    /// bottom): each panel is laid out once on its own, then every panel of a column gets the largest left and right
    /// margins of that column, and every panel of a row the largest top and bottom margins of that row.
    /// The layout pass also settles each plot before the real render: ScottPlot renders a plot a second time when
    /// its first render changed the layout, which would write every SVG element twice.
    /// </summary>
    private void AlignPanels()
    {
        if (_aligned)
            return;
        _aligned = true;
        var margins = new PixelPadding[_panels.Length];
        for (var i = 0; i < _panels.Length; i++)
        {
            var rect = _panels[i].Rect;
            var (width, height) = (Math.Max(1, (int)Math.Round(rect.Width)), Math.Max(1, (int)Math.Round(rect.Height)));
            // Titles are wrapped and fonts chosen once a render has placed the data area and made the ticks; then the
            // margins are measured again in those fonts.
            _panels[i].Plot.RenderInMemory(width, height);
            var wrapped = LongTitles.Fit(_panels[i].Plot, new PixelRect(0, width, height, 0));
            if (GlyphFallback.Apply(_panels[i].Plot) | wrapped)
                _panels[i].Plot.RenderInMemory(width, height);
            margins[i] = _panels[i].Plot.LastRender.Padding;
        }
        for (var i = 0; i < _panels.Length; i++)
        {
            var rect = _panels[i].Rect;
            var column = Enumerable.Range(0, _panels.Length).Where(j => Same(_panels[j].Rect.Left, rect.Left) && Same(_panels[j].Rect.Right, rect.Right)).ToArray();
            var row = Enumerable.Range(0, _panels.Length).Where(j => Same(_panels[j].Rect.Top, rect.Top) && Same(_panels[j].Rect.Bottom, rect.Bottom)).ToArray();
            _panels[i].Plot.Layout.Fixed(new PixelPadding(
                column.Max(j => margins[j].Left), column.Max(j => margins[j].Right),
                row.Max(j => margins[j].Bottom), row.Max(j => margins[j].Top)));
        }

        static bool Same(float a, float b) => Math.Abs(a - b) < 0.5f;
    }

    /// <summary>The figure as PNG file contents.</summary>
    public byte[] GetPngBytes()
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {Width}×{Height} surface.");
        Render(surface.Canvas);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>
    /// The figure as an SVG document of <see cref="Width"/> × <see cref="Height"/> pixels. Text stays text (in the
    /// embedded font's family, each glyph placed), so browsers and editors can search it.
    /// </summary>
    public string GetSvgXml() => SvgMarkup.Document(RenderSvg());

    /// <summary>
    /// The figure as an <c>&lt;svg&gt;</c> element for an HTML page: it scales to the width of its container (a
    /// <c>viewBox</c>, width 100%), carries <paramref name="label"/> for screen readers, and its ids start with
    /// <paramref name="idPrefix"/> (unique per picture on a page).
    /// </summary>
    public string GetInlineSvg(string idPrefix, string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(idPrefix);
        ArgumentNullException.ThrowIfNull(label);
        return SvgMarkup.Inline(RenderSvg(), idPrefix, label);
    }

    private string RenderSvg()
    {
        using var memory = new MemoryStream();
        using (var stream = new SKManagedWStream(memory))
        {
            using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, Width, Height), stream))
                Render(canvas);
        }
        return System.Text.Encoding.UTF8.GetString(memory.ToArray());
    }

    /// <summary>Saves a PNG atomically, replacing <paramref name="path"/> if it exists.</summary>
    public void SavePng(string path) => AtomicFile.WriteAllBytes(path, GetPngBytes());

    /// <summary>Saves an SVG atomically, replacing <paramref name="path"/> if it exists.</summary>
    public void SaveSvg(string path) => AtomicFile.WriteAllText(path, GetSvgXml());

    /// <summary>Saves as PNG or SVG by the extension of <paramref name="path"/> (<c>.png</c> or <c>.svg</c>), atomically.</summary>
    /// <exception cref="ArgumentException">The extension is neither.</exception>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var extension = Path.GetExtension(path);
        if (extension.Equals(".png", StringComparison.OrdinalIgnoreCase))
            SavePng(path);
        else if (extension.Equals(".svg", StringComparison.OrdinalIgnoreCase))
            SaveSvg(path);
        else
            throw new ArgumentException($"Cannot save a figure as '{path}': expected a .png or .svg extension, found '{extension}'.", nameof(path));
    }

    /// <summary>Saves <c>name.png</c> and <c>name.svg</c> in <paramref name="folder"/>, atomically; returns both paths.</summary>
    public IReadOnlyList<string> SavePngAndSvg(string folder, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        string png = Path.Combine(folder, name + ".png"), svg = Path.Combine(folder, name + ".svg");
        SavePng(png);
        SaveSvg(svg);
        return [png, svg];
    }

    /// <summary>Disposes the panels' plots.</summary>
    public void Dispose()
    {
        foreach (var panel in _panels)
            panel.Plot.Dispose();
    }
}
