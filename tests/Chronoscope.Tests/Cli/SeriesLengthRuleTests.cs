using System.Globalization;
using System.Text;
using Chronoscope.Data.Formats;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>
/// One rule, in every command that applies a model to data files: series of another length than the model's run, with
/// a warning naming the file, the model's length and the lengths found; files of different lengths pool (the shorter
/// padded); only what cannot run is refused.
/// </summary>
public sealed class SeriesLengthRuleTests(SavedGunPointModel model) : IClassFixture<SavedGunPointModel>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Cache => _folder.Combine("cache");

    /// <summary>The first <paramref name="count"/> GunPoint TEST series cut to their first <paramref name="length"/> steps, as .tsv.</summary>
    private string ShortFile(int length = 100, int count = 6)
    {
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(test.Labels![i]);
            foreach (var v in test.Series(i)[..length])
                text.Append('\t').Append(v.ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        return _folder.Write($"Short{length}_TEST.tsv", text.ToString());
    }

    private static string Warning(string file, string found, string padding = "") =>
        $"warning: {file}: the model was trained on series of length 150, found {found}{padding}; its predictions may mean little.";

    [Fact]
    public async Task Predict_Should_Run_A_File_Of_Another_Length_With_One_Warning_Naming_It()
    {
        var data = ShortFile();

        var (code, _, error) = await CliRunner.RunAsync(["predict", "--model", model.Path, TestData.GunPointTestArff, data, "--out", _folder.Combine("p.csv")], Cache);

        Assert.True(code == 0, error);
        Assert.Equal([Warning(data, "length 100")], CliRunner.Lines(error));
        Assert.Equal(1 + 150 + 6, File.ReadAllLines(_folder.Combine("p.csv")).Length);
    }

    [Fact]
    public async Task Evaluate_Should_Run_Files_Of_Different_Lengths_With_A_Warning_For_The_One_That_Differs()
    {
        var data = ShortFile();

        var (code, output, error) = await CliRunner.RunAsync(["evaluate", "--model", model.Path, TestData.GunPointTestArff, data], Cache);

        Assert.True(code == 0, error);
        Assert.Equal([Warning(data, "length 100")], CliRunner.Lines(error));
        Assert.Contains("156 labelled series", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cam_Should_Pool_Files_Of_Different_Lengths_Padding_The_Shorter_With_A_Warning()
    {
        // Given the TEST file (length 150, the model's) and a file of length 100, pooled: items 150-155 are the short file's
        var data = ShortFile();
        var folder = _folder.Combine("cam");

        var (code, _, error) = await CliRunner.RunAsync(["cam", "--model", model.Path, "--data", TestData.GunPointTestArff, data, "--items", "0,150", "--out", folder], Cache);

        // Then it runs (cam refused this before), warns once for the short file only, and its row of the CSV has 100 map values
        Assert.True(code == 0, error);
        Assert.Equal([Warning(data, "length 100", "; pooled with longer files, its series are padded to 150")], CliRunner.Lines(error));
        var rows = File.ReadAllLines(Path.Combine(folder, "cam-gradcam-mean.csv")).Skip(1).Select(r => r.Split(',')[5..]).ToArray();
        Assert.Equal(150, rows[0].Count(cell => cell.Length > 0));
        Assert.Equal(100, rows[1].Count(cell => cell.Length > 0));
        Assert.All(rows[1][..100], cell => Assert.True(float.IsFinite(float.Parse(cell, CultureInfo.InvariantCulture)), cell));
    }

    [Fact]
    public async Task Cam_Should_Warn_Of_Series_Of_The_Models_Length_Padded_By_A_Longer_File()
    {
        // Given a file of length 200 pooled with the TEST file: TEST's series are padded to 200
        var longer = _folder.Write("Long_TEST.tsv", "1\t" + string.Join('\t', Enumerable.Range(0, 200).Select(t => (t % 7).ToString(CultureInfo.InvariantCulture))) + "\n");

        var (code, _, error) = await CliRunner.RunAsync(["cam", "--model", model.Path, "--data", TestData.GunPointTestArff, longer, "--items", "0", "--out", _folder.Combine("cam")], Cache);

        Assert.True(code == 0, error);
        Assert.Equal(
            [Warning(TestData.GunPointTestArff, "length 150", "; pooled with longer files, its series are padded to 200"), Warning(longer, "length 200")],
            CliRunner.Lines(error));
    }

    [Fact]
    public async Task Faithfulness_Should_Pool_Files_Of_Different_Lengths_With_A_Warning()
    {
        var data = ShortFile();

        var (code, _, error) = await CliRunner.RunAsync(["faithfulness", "--model", model.Path, "--data", TestData.GunPointTestArff, data,
            "--methods", "gradcam", "--perturbation", "zero", "--items", "0,150", "--steps", "4", "--out", _folder.Combine("f")], Cache);

        Assert.True(code == 0, error);
        Assert.Equal([Warning(data, "length 100", "; pooled with longer files, its series are padded to 150")], CliRunner.Lines(error));
    }

    [Fact]
    public async Task Counterfactual_Should_Warn_Then_Refuse_Queries_Of_Another_Length_Than_Its_Training_Data_In_One_Line()
    {
        // A counterfactual swaps windows of the query with a training neighbour's: series of two lengths cannot run
        var data = ShortFile();
        var folder = _folder.Combine("cf");

        var (code, _, error) = await CliRunner.RunAsync(["counterfactual", "--model", model.Path, "--train", TestData.GunPointTrainArff, "--data", data, "--items", "0", "--out", folder], Cache);

        Assert.Equal(1, code);
        var lines = CliRunner.Lines(error);
        Assert.Equal(2, lines.Length);
        Assert.Equal(Warning(data, "length 100"), lines[0]);
        Assert.Contains("expected 1-channel series of length 150 as the training data, found 1 channels of length 100", lines[1], StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Report_Should_Explain_Given_Files_Of_Different_Lengths_With_A_Warning()
    {
        var run = _folder.Combine("run");
        var (trained, _, trainError) = await CliRunner.RunAsync(["train", "GunPoint", "--epochs", "1", "--depth", "1", "--filters", "16", "--no-report", "--out", run], Cache);
        Assert.True(trained == 0, trainError);
        var data = ShortFile();
        var page = _folder.Combine("page.html");

        var (code, _, error) = await CliRunner.RunAsync(["report", run, "--data", TestData.GunPointTestArff, data, "--out", page], Cache);

        Assert.True(code == 0, error);
        Assert.Equal([Warning(data, "length 100", "; pooled with longer files, its series are padded to 150")], CliRunner.Lines(error));
        Assert.True(File.Exists(page));
    }

    [Fact]
    public async Task Should_Name_The_Range_Of_Lengths_Of_A_Variable_Length_File()
    {
        var data = _folder.Write("Var_TEST.ts", "@problemName v\n@univariate true\n@equalLength false\n@classLabel true 1 2\n@data\n" +
            string.Join(',', Enumerable.Range(0, 40).Select(t => (t % 5).ToString(CultureInfo.InvariantCulture))) + ":1\n" +
            string.Join(',', Enumerable.Range(0, 60).Select(t => (t % 3).ToString(CultureInfo.InvariantCulture))) + ":2\n");

        var (code, _, error) = await CliRunner.RunAsync(["predict", "--model", model.Path, data, "--out", _folder.Combine("p.csv")], Cache);

        Assert.True(code == 0, error);
        Assert.Equal([Warning(data, "lengths 40 to 60")], CliRunner.Lines(error));
    }

    [Fact]
    public async Task Should_Refuse_A_File_With_Other_Channels_Before_Any_Length_Warning()
    {
        var motions = TestData.File("BasicMotions", "BasicMotions_TEST.ts");

        var (code, _, error) = await CliRunner.RunAsync(["cam", "--model", model.Path, "--data", motions, "--items", "0", "--out", _folder.Combine("cam")], Cache);

        Assert.Equal(1, code);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.Contains("the model was trained on 1-channel series", line, StringComparison.Ordinal);
    }
}
