namespace Chronoscope.Tests.Plotting;

/// <summary>
/// Renders one of each picture to PNG and SVG, so a person can look at them. They go to a temporary folder that is
/// removed afterwards, or, when CHRONOSCOPE_PLOT_SAMPLES names a folder, there to stay.
/// </summary>
public sealed class PictureSamplesTests : IDisposable
{
    private readonly string _folder;
    private readonly bool _keep;

    public PictureSamplesTests()
    {
        var requested = Environment.GetEnvironmentVariable("CHRONOSCOPE_PLOT_SAMPLES");
        _keep = !string.IsNullOrEmpty(requested);
        _folder = _keep ? requested! : Path.Combine(Path.GetTempPath(), "chronoscope-samples-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    public void Dispose()
    {
        if (!_keep)
            Directory.Delete(_folder, recursive: true);
    }

    public static TheoryData<string> Samples() => [.. SampleFigures.Names];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Should_Render_Each_Picture_As_Png_And_Svg(string name)
    {
        // Given one picture of each kind drawn from synthetic data
        using var figure = SampleFigures.Create(name);

        // When it is saved in both formats
        var png = Path.Combine(_folder, name + ".png");
        var svg = Path.Combine(_folder, name + ".svg");
        figure.Save(png);
        figure.Save(svg);

        // Then the PNG has the figure's size and the SVG is a document of the same size
        var (width, height) = PngHeader.Size(File.ReadAllBytes(png));
        Assert.Equal((figure.Width, figure.Height), (width, height));
        var xml = File.ReadAllText(svg);
        Assert.Contains("<svg", xml, StringComparison.Ordinal);
        Assert.Contains($"width=\"{figure.Width}\"", xml, StringComparison.Ordinal);
    }
}
