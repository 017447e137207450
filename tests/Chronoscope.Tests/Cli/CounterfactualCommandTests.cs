using System.Globalization;
using Chronoscope.Cli;
using Chronoscope.Data;
using Chronoscope.Data.Formats;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Tests.Explain;
using Chronoscope.Tests.Plotting;
using Chronoscope.Tests.TestSupport;
using Spectre.Console.Testing;

namespace Chronoscope.Tests.Cli;

/// <summary><c>chronoscope counterfactual</c> in-process, on the planted-bump model saved to a file with its data as .tsv.</summary>
public sealed class CounterfactualCommandTests : IClassFixture<BumpModel>, IDisposable
{
    private readonly BumpModel _model;
    private readonly TempFolder _folder = new();
    private readonly string _modelPath;
    private readonly string _trainPath;
    private readonly string _testPath;
    private readonly string _out;

    public CounterfactualCommandTests(BumpModel model)
    {
        _model = model;
        _modelPath = _folder.Combine("bumps.chronoscope");
        model.Classifier.Save(_modelPath);
        _trainPath = _folder.Write("Bumps_TRAIN.tsv", Tsv(model.Train));
        _testPath = _folder.Write("Bumps_TEST.tsv", Tsv(model.Test));
        _out = _folder.Combine("out");
    }

    public void Dispose() => _folder.Dispose();

    private static string Tsv(TimeSeriesDataset data) => string.Concat(Enumerable.Range(0, data.Count).Select(i =>
        data.Labels![i] + "\t" + string.Join('\t', data.Series(i).ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "\n"));

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] more)
    {
        using var output = new TestConsole();
        using var error = new TestConsole();
        string[] args = ["counterfactual", "--model", _modelPath, "--train", _trainPath, "--data", _testPath, "--out", _out, .. more];
        var code = await new ChronoscopeCli(new CliContext(output, error)).RunAsync(args);
        return (code, output.Output, error.Output);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public async Task Should_Warn_Before_Searching_When_The_Maps_Need_More_Memory_Than_Is_Available_Now()
    {
        // Given a large machine (assumed) with no memory free beyond what the process holds
        using var machine = MachineMemory.Assume(new MachineMemory(100L << 30, 0, "MemTotal"));

        // When a counterfactual is asked for
        var (code, _, error) = await RunAsync("--items", "0");

        // Then it is found and written, after one warning that names the data file and the maps' work
        Assert.Equal(ExitCodes.Success, code);
        var warning = Assert.Single(Lines(error), l => l.Contains("available to it now", StringComparison.Ordinal));
        Assert.StartsWith($"warning: {_testPath}: explaining (GRAD-CAM) series of ", warning, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_out, "counterfactuals.csv")));
    }

    [Fact]
    public async Task Should_Write_A_Picture_Per_Item_And_A_Csv_Of_The_Counterfactuals()
    {
        // Given item 0 (a bump) and item 1 (flat), when their counterfactuals are asked for with names for the classes
        using var leaks = new TensorLeakCheck();
        var (code, output, error) = await RunAsync("--items", "0,1", "--class-names", "bump=Bump,flat=Flat");

        // Then a PNG and an SVG per item and one CSV are written, and nothing else
        Assert.Equal(ExitCodes.Success, code);
        Assert.Empty(error);
        Assert.Equal(["counterfactual-0.png", "counterfactual-0.svg", "counterfactual-1.png", "counterfactual-1.svg", "counterfactuals.csv"],
            Directory.GetFiles(_out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal((800, 450), PngHeader.Size(File.ReadAllBytes(Path.Combine(_out, "counterfactual-0.png"))));
        var svg = File.ReadAllText(Path.Combine(_out, "counterfactual-0.svg"));
        Assert.Contains("[Bump → Flat] p(Flat)", svg, StringComparison.Ordinal);
        Assert.Contains("stroke=\"#D62728\"", svg, StringComparison.Ordinal); // the counterfactual's line
        Assert.Contains("fill=\"#FF7F0E\"", svg, StringComparison.Ordinal);   // the shaded window
        Assert.Contains("found 2 of 2", output, StringComparison.Ordinal);

        // and the CSV holds what the library computes: measures, then the 64 values of each counterfactual
        using var classifier = Chronoscope.Inference.TimeSeriesClassifier.Load(_modelPath);
        var expected = Counterfactuals.Explain(classifier, DatasetReader.Read(_trainPath), DatasetReader.Read(_testPath), [0, 1]);
        var rows = File.ReadAllLines(Path.Combine(_out, "counterfactuals.csv")).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["item", "outcome", "predicted", "target", "p_before", "p_after", "neighbour", "neighbour_distance", "window_start",
            "window_length", "changed_share", "l1", "l2", "dtw", "distance_to_neighbour", .. Enumerable.Range(0, 64).Select(t => $"t{t}")], rows[0]);
        Assert.Equal(3, rows.Length);
        for (var k = 0; k < 2; k++)
        {
            var c = expected.Items[k];
            Assert.Equal([c.Item.ToString(CultureInfo.InvariantCulture), "found", expected.Classes[c.Predicted], expected.Classes[c.Target]], rows[k + 1][..4]);
            Assert.Equal(c.WindowStart, int.Parse(rows[k + 1][8], CultureInfo.InvariantCulture));
            Assert.Equal(c.WindowLength, int.Parse(rows[k + 1][9], CultureInfo.InvariantCulture));
            Assert.Equal(c.L2, double.Parse(rows[k + 1][12], CultureInfo.InvariantCulture), 9);
            Assert.Equal(c.Values!, rows[k + 1][15..].Select(v => float.Parse(v, CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public async Task Should_Say_Not_Found_In_The_Csv_When_The_Threshold_Is_Out_Of_Reach()
    {
        var (code, output, _) = await RunAsync("--items", "0", "--threshold", "1", "--distance", "dtw", "--band", "3");
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("found 0 of 1", output, StringComparison.Ordinal);
        Assert.Contains("not found", output, StringComparison.Ordinal);
        var row = File.ReadAllLines(Path.Combine(_out, "counterfactuals.csv"))[1].Split(',');
        Assert.Equal("not_flipped", row[1]);
        Assert.All(row[15..], v => Assert.Equal("", v));
        Assert.Contains("no counterfactual", File.ReadAllText(Path.Combine(_out, "counterfactual-0.svg")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ExitCodes.Usage, "--target", "circle")]
    [InlineData(ExitCodes.Usage, "--distance", "manhattan")]
    [InlineData(ExitCodes.Usage, "--threshold", "1.5")]
    [InlineData(ExitCodes.Usage, "--band", "-1")]
    [InlineData(ExitCodes.Usage, "--band", "5")] // the distance is euclidean: a band would change nothing
    public async Task Should_Refuse_A_Wrong_Command_Line_In_One_Line_And_Write_Nothing(int expectedCode, string option, string value)
    {
        var (code, _, error) = await RunAsync("--items", "0", option, value);
        Assert.Equal(expectedCode, code);
        Assert.Single(Lines(error));
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_out));
    }

    [Fact]
    public async Task Should_Refuse_A_Target_Equal_To_The_Prediction_In_One_Line_And_Write_Nothing()
    {
        // Item 0 is a bump, predicted as one
        var (code, _, error) = await RunAsync("--items", "0,1", "--target", "bump");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal(["error: item 0 is already predicted as class bump; a counterfactual's target must be another class (flat), or leave the target out for each item's runner-up."], Lines(error));
        Assert.False(Directory.Exists(_out));
    }

    [Fact]
    public async Task Should_Refuse_Training_Data_Of_Another_Length_In_One_Line_And_Write_Nothing()
    {
        var shorter = _folder.Write("Short_TRAIN.tsv", "bump\t1\t2\t3\nflat\t0\t0\t0\n");
        using var output = new TestConsole();
        using var error = new TestConsole();
        var code = await new ChronoscopeCli(new CliContext(output, error)).RunAsync(
            ["counterfactual", "--model", _modelPath, "--train", shorter, "--data", _testPath, "--items", "0", "--out", _out]);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Single(Lines(error.Output));
        Assert.Contains("length 64", error.Output, StringComparison.Ordinal);
        Assert.Contains("length 3", error.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_out));
        Assert.Equal(64, _model.Train.Length);
    }
}
