using Chronoscope.Reports;
using Chronoscope.Tests.Cli;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Tutorial;

namespace Chronoscope.Tests.Samples;

public sealed class TutorialTests
{
    private static readonly string[] Pictures =
    [
        "01-show-batch", "02-show-results", "03-gradcam", "04-cam-multi-fig", "05-cam-max-seismic", "06-gradcam-raw-seismic",
        "07-gradcam-mean-max-seismic", "08-cam-scatter-hot-r", "09-user-function", "10-batch-viridis", "11-batch-viridis-multi-fig",
    ];

    [Fact]
    public void Should_Write_Every_Picture_Of_The_Notebook_And_The_Model()
    {
        // Given the sample tutorial on 2 epochs (the notebook trains 25)
        using var folder = new TempFolder();
        var output = folder.Combine("tutorial");

        // When it runs
        var result = GunPointTutorial.Run(new TutorialOptions { OutputFolder = output, Epochs = 2, CacheFolder = folder.Combine("cache") });

        // Then the model and each picture as PNG and SVG exist, in the notebook's order, nothing else
        string[] expected = ["01-show-batch.png", "01-show-batch.svg", "model.chronoscope", .. Pictures.Skip(1).SelectMany(p => new[] { p + ".png", p + ".svg" }), "metrics.json", "report.html",
            "12-counterfactual-0.png", "12-counterfactual-0.svg", "13-counterfactual-3.png", "13-counterfactual-3.svg"];
        Assert.Equal(expected, result.Files.Select(Path.GetFileName));
        Assert.Equal(expected.Order(StringComparer.Ordinal), Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.InRange(result.Accuracy, 0, 1);
        var report = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.All(RunReportPage.SectionIds, id => Assert.Contains($"id=\"{id}\"", report, StringComparison.Ordinal));
        Assert.Contains("1 (Gun)", report, StringComparison.Ordinal);
        Assert.Equal(2, RunRecord.Load(Path.Combine(output, "metrics.json")).Epochs.Count);
        // the one-figure Grad-CAM of items 0 and 3 (a Gun, a Point) at 6 × 4 inches, titled as the reference
        Assert.Equal((600, 400), ImageSize(Path.Combine(output, "03-gradcam.png")));
        Assert.Contains("[Gun - Point] - GRAD-CAM - mean", SvgTexts(Path.Combine(output, "03-gradcam.svg")));
        Assert.Contains("[Gun - Point] - ACTIVATION x GRADIENT", SvgTexts(Path.Combine(output, "09-user-function.svg"))); // no reduction: the function uses none
        // the counterfactuals of items 0 and 3, each aimed at the other class than its prediction
        Assert.Contains(SvgTexts(Path.Combine(output, "12-counterfactual-0.svg")), t => t.StartsWith("[Gun → Point]", StringComparison.Ordinal) || t.StartsWith("[Point → Gun]", StringComparison.Ordinal));
        Assert.Equal((800, 450), ImageSize(Path.Combine(output, "13-counterfactual-3.png")));
    }

    [Fact]
    public async Task Should_Run_From_The_Command_Line_And_List_Its_Files()
    {
        using var folder = new TempFolder();
        var output = folder.Combine("out");

        var (code, text, error) = await CliRunner.RunAsync(["tutorial", "--epochs", "1", "--out", output], folder.Combine("cache"));

        Assert.Equal(0, code);
        Assert.Equal("", error);
        var lines = CliRunner.Lines(text);
        Assert.StartsWith("GunPoint (embedded), TRAIN and TEST pooled, 20% random validation (seed 42)", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("epoch", StringComparison.Ordinal) && l.Contains("accuracy", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("validation accuracy ", StringComparison.Ordinal) && l.Contains("; 29 files in ", StringComparison.Ordinal));
        Assert.Equal(29, lines.Count(l => l.StartsWith("  ", StringComparison.Ordinal)));
        Assert.Equal(29, Directory.GetFiles(output).Length);
    }

    private static string[] SvgTexts(string path) =>
        [.. System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(path), @"<text[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value.Trim())];

    private static (int Width, int Height) ImageSize(string path)
    {
        using var bitmap = SkiaSharp.SKBitmap.Decode(path);
        return (bitmap.Width, bitmap.Height);
    }
}
