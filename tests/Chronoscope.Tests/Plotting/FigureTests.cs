using Chronoscope.Plotting;
using SkiaSharp;

namespace Chronoscope.Tests.Plotting;

public sealed class FigureTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chronoscope-figure-" + Guid.NewGuid().ToString("N"));

    public FigureTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(3, 1, 3)]
    [InlineData(5, 2, 3)]
    [InlineData(9, 3, 3)]
    [InlineData(10, 3, 4)]
    public void Should_Lay_Out_N_Panels_As_The_Reference_Grid(int count, int rows, int columns)
    {
        Assert.Equal(new GridShape(rows, columns), GridShape.For(count));
    }

    [Fact]
    public void Should_Use_Floor_Sqrt_Rows_For_Every_Count()
    {
        // An independent check of rows = ⌊√n⌋, columns = ⌈n / rows⌉ by integer arithmetic
        for (var n = 1; n <= 2000; n++)
        {
            var grid = GridShape.For(n);
            Assert.True(grid.Rows * grid.Rows <= n && (grid.Rows + 1) * (grid.Rows + 1) > n, $"rows of {n}");
            Assert.True(grid.Cells >= n && grid.Rows * (grid.Columns - 1) < n, $"columns of {n}");
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(5, 2, 3)]
    [InlineData(9, 3, 3)]
    public void Should_Draw_A_Cam_Grid_With_One_Panel_Per_Item_And_Blank_Unused_Cells(int count, int rows, int columns)
    {
        // Given n items drawn as a grid
        var items = Enumerable.Range(0, count).Select(i => i % 2 == 0 ? Synthetic.GunItem() : Synthetic.PointItem()).ToArray();
        using var figure = Pictures.ShowCam(CamBatch.Scaled(items, "CAM - mean"), new CamPlotOptions { Layout = CamLayout.Grid });

        // When it is rendered
        using var bitmap = PngHeader.Decode(figure.GetPngBytes());

        // Then the grid has the reference's shape, one panel per item, and every unused cell is blank
        Assert.Equal((rows, columns), (figure.Rows, figure.Columns));
        Assert.Equal(count, figure.Plots.Count);
        Assert.Equal(count, figure.UsedCells);
        Assert.Equal(Enumerable.Range(0, count), figure.PanelCells);
        var grid = new GridShape(rows, columns);
        for (var cell = count; cell < grid.Cells; cell++)
        {
            var rect = Theme.Cell(figure.Width, figure.Height, grid, cell / columns, cell % columns);
            Assert.True(IsBlank(bitmap, rect), $"cell {cell} should be blank");
        }
        Assert.False(IsBlank(bitmap, Theme.Cell(figure.Width, figure.Height, grid, 0, 0)));
    }

    [Theory]
    [InlineData(CamLayout.Overlay, null, null, 600, 400)] // show_cam's figsize (6, 4) at 100 dpi
    [InlineData(CamLayout.Grid, null, null, 1300, 400)]   // multi_fig's (13, 4) for one row
    [InlineData(CamLayout.Overlay, 7.5, 3.2, 750, 320)]
    public void Should_Size_Pictures_At_100_Pixels_Per_Inch(CamLayout layout, double? width, double? height, int pixelsWide, int pixelsHigh)
    {
        // Given two items and a figure size in inches (or the default)
        var options = new CamPlotOptions { Layout = layout, WidthInches = width, HeightInches = height };
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem(), Synthetic.PointItem()], "CAM - mean"), options);

        // When it is encoded as PNG and SVG
        var size = PngHeader.Size(figure.GetPngBytes());
        var svg = figure.GetSvgXml();

        // Then both are inches × 100 pixels
        Assert.Equal((pixelsWide, pixelsHigh), size);
        Assert.Contains($"width=\"{pixelsWide}\" height=\"{pixelsHigh}\"", svg, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("picture.png")]
    [InlineData("picture.svg")]
    public void Should_Replace_An_Existing_File_Atomically_Leaving_No_Temporary_File(string name)
    {
        // Given a file already at the target path
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, "an older picture");
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem()], "CAM - mean"));

        // When the figure is saved there
        figure.Save(path);

        // Then the file is the new picture whole, and it is the only file in the folder
        var bytes = File.ReadAllBytes(path);
        if (name.EndsWith(".png", StringComparison.Ordinal))
            Assert.Equal((600, 400), PngHeader.Size(bytes));
        else
            Assert.EndsWith("</svg>", System.Text.Encoding.UTF8.GetString(bytes).TrimEnd(), StringComparison.Ordinal);
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Should_Refuse_An_Unknown_Extension_And_Write_Nothing()
    {
        using var figure = Pictures.ShowCam(CamBatch.Scaled([Synthetic.GunItem()], "CAM - mean"));
        var error = Assert.Throws<ArgumentException>(() => figure.Save(Path.Combine(_folder, "picture.jpg")));
        Assert.Contains("expected a .png or .svg extension, found '.jpg'", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Should_Wrap_A_Plot_Of_Ones_Own()
    {
        // Given a ScottPlot plot built by hand
        using var plot = new ScottPlot.Plot();
        plot.Add.Line(0, 0, 1, 1);
        using var figure = Figure.FromPlot(plot, 320, 240);
        var path = Path.Combine(_folder, "own.png");

        // When it is saved through the figure
        figure.Save(path);

        // Then it has the asked size
        Assert.Equal((320, 240), PngHeader.Size(File.ReadAllBytes(path)));
    }

    private static bool IsBlank(SKBitmap bitmap, ScottPlot.PixelRect rect)
    {
        for (var y = (int)rect.Top + 1; y < (int)rect.Bottom - 1; y += 2)
        {
            for (var x = (int)rect.Left + 1; x < (int)rect.Right - 1; x += 2)
            {
                if (bitmap.GetPixel(x, y) != SKColors.White)
                    return false;
            }
        }
        return true;
    }
}
