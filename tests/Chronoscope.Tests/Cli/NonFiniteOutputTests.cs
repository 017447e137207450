using System.Globalization;
using System.Text;
using System.Text.Json;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>
/// A series on which the network's output is not finite (values so large it overflows): every command that shows
/// predictions or maps says so in one warning naming the items, and marks them instead of showing made-up numbers.
/// </summary>
public sealed class NonFiniteOutputTests(SavedGunPointModel model) : IClassFixture<SavedGunPointModel>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>GunPoint TEST's first series as read, then <paramref name="huge"/> series of 150 values near 3e38 (labels 1, 2, 1, ...).</summary>
    private string Data(int huge)
    {
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        var text = new StringBuilder(test.Labels![0]);
        foreach (var v in test.Series(0))
            text.Append('\t').Append(v.ToString("R", CultureInfo.InvariantCulture));
        text.Append('\n');
        AppendHuge(text, huge);
        return _folder.Write("Huge_TEST.tsv", text.ToString());
    }

    /// <summary><paramref name="count"/> series of 150 values near 3e38 as .tsv rows, labels 1, 2, 1, ...</summary>
    private static void AppendHuge(StringBuilder text, int count)
    {
        for (var i = 0; i < count; i++)
        {
            text.Append(1 + i % 2);
            for (var t = 0; t < 150; t++)
                text.Append('\t').Append((3e38 * (1 + 0.001 * ((t + i) % 10))).ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
    }

    [Fact]
    public async Task Cam_Should_Warn_Naming_The_Items_And_Mark_Them_In_The_Table_Csv_And_Picture()
    {
        // Given a finite series (item 0) and two the network overflows on (items 1, 2), drawn with confidences
        var data = Data(2);
        var folder = _folder.Combine("cam");

        var (code, output, error) = await CliRunner.RunAsync(["cam", "--model", model.Path, "--data", data, "--items", "0-2", "--confidence", "--out", folder], _folder.Combine("cache"));

        // Then it succeeds with one warning naming items 1 and 2
        Assert.True(code == 0, error);
        var warning = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith($"warning: {data}: the network's output is not finite for 2 series (items 1, 2;", warning, StringComparison.Ordinal);
        // the table marks their prediction and confidence, and item 0 keeps its own
        var table = CliRunner.Lines(output).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(cells => cells.Length == 5 && cells[0] is "0" or "1" or "2").ToArray();
        Assert.Equal([["1", "1", "1", "?", "?"], ["2", "2", "2", "?", "?"]], table[1..]);
        Assert.Matches(@"^[12] \d+\.\d%$", string.Join(' ', table[0][3..]));
        // the CSV marks the prediction and leaves confidence and map empty
        var rows = File.ReadAllLines(Path.Combine(folder, "cam-gradcam-mean.csv")).Skip(1).Select(r => r.Split(',')).ToArray();
        Assert.All(rows[1..], row => Assert.Equal(["?", ""], row[3..5]));
        Assert.All(rows[1..], row => Assert.All(row[5..], cell => Assert.Equal("", cell)));
        Assert.Equal(150, rows[0][5..].Count(cell => float.IsFinite(float.Parse(cell, CultureInfo.InvariantCulture))));
        Assert.True(File.Exists(Path.Combine(folder, "cam-gradcam-mean.png")));
    }

    [Fact]
    public async Task Cam_Should_Warn_Once_And_Not_Count_Them_Right_When_Streaming_Many_Items()
    {
        // Given 19 overflowing series after a finite one: more than 16 items, so the CSV is streamed batch by batch
        var data = Data(19);
        var folder = _folder.Combine("cam");

        var (code, output, error) = await CliRunner.RunAsync(["cam", "--model", model.Path, "--data", data, "--items", "all", "--batch-size", "8", "--out", folder], _folder.Combine("cache"));

        Assert.True(code == 0, error);
        var warning = Assert.Single(CliRunner.Lines(error));
        Assert.StartsWith($"warning: {data}: the network's output is not finite for 19 series (items 1, 2, 3, 4, 5, ...;", warning, StringComparison.Ordinal);
        Assert.Matches(@"predicted [01] of 20 labelled items right", output);
        var rows = File.ReadAllLines(Path.Combine(folder, "cam-gradcam-mean.csv")).Skip(1).Select(r => r.Split(',')).ToArray();
        Assert.Equal(19, rows.Count(row => row[3] == "?"));
    }

    [Fact]
    public async Task Evaluate_And_Predict_Should_Name_The_Same_Items_As_Cam()
    {
        var data = Data(2);

        var (evaluated, _, evaluateError) = await CliRunner.RunAsync(["evaluate", "--model", model.Path, data], _folder.Combine("cache"));
        var (predicted, _, predictError) = await CliRunner.RunAsync(["predict", "--model", model.Path, data, "--out", _folder.Combine("p.csv")], _folder.Combine("cache"));

        Assert.Equal((0, 0), (evaluated, predicted));
        var expected = $"warning: {data}: the network's output is not finite for 2 series (items 1, 2;";
        Assert.StartsWith(expected, Assert.Single(CliRunner.Lines(evaluateError)), StringComparison.Ordinal);
        Assert.StartsWith(expected, Assert.Single(CliRunner.Lines(predictError)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_And_Predict_Should_Count_No_Class_For_Them_And_Score_Them_As_Wrong()
    {
        // Given GunPoint TEST's first 12 series (also in a file of their own), then 3 the network overflows on (items 12-14)
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        var finite = new StringBuilder();
        for (var i = 0; i < 12; i++)
        {
            finite.Append(test.Labels![i]);
            foreach (var v in test.Series(i))
                finite.Append('\t').Append(v.ToString("R", CultureInfo.InvariantCulture));
            finite.Append('\n');
        }
        var alone = _folder.Write("Finite_TEST.tsv", finite.ToString());
        AppendHuge(finite, 3);
        var data = _folder.Write("Mixed_TEST.tsv", finite.ToString());
        // The reference: the model on the 12 finite series alone, counted here from Predicted and Targets
        using var classifier = TimeSeriesClassifier.Load(model.Path);
        var reference = classifier.Predict(DatasetReader.Read(alone));
        Assert.Empty(reference.NonFinite);
        var right = Enumerable.Range(0, 12).Count(i => reference.Predicted[i] == reference.Targets![i]);
        var counts = Enumerable.Range(0, 2).Select(k => reference.Predicted.Count(p => p == k)).ToArray();
        var cells = Enumerable.Range(0, 2).Select(a => Enumerable.Range(0, 2).Select(p =>
            (long)Enumerable.Range(0, 12).Count(i => reference.Targets![i] == a && reference.Predicted[i] == p)).ToArray()).ToArray();
        var json = _folder.Combine("evaluation.json");

        var (evaluated, evaluateOutput, evaluateError) = await CliRunner.RunAsync(["evaluate", "--model", model.Path, data, "--json", json], _folder.Combine("cache"));
        var (predicted, predictOutput, predictError) = await CliRunner.RunAsync(["predict", "--model", model.Path, data, "--out", _folder.Combine("p.csv")], _folder.Combine("cache"));

        Assert.True(evaluated == 0, evaluateError);
        Assert.True(predicted == 0, predictError);
        // evaluate: one warning naming them and saying how they are scored; the matrix holds the 12 finite series alone,
        // and accuracy is their right ones over all 15
        var warning = Assert.Single(CliRunner.Lines(evaluateError));
        Assert.StartsWith($"warning: {data}: the network's output is not finite for 3 series (items 12, 13, 14;", warning, StringComparison.Ordinal);
        Assert.EndsWith("the confusion matrix leaves them out and every metric counts them as wrong.", warning, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(File.ReadAllText(json)))
        {
            var root = document.RootElement;
            Assert.Equal((15, 3), (root.GetProperty("count").GetInt32(), root.GetProperty("non_finite").GetInt32()));
            Assert.Equal(right / 15.0, root.GetProperty("accuracy").GetDouble(), 12);
            var matrix = root.GetProperty("confusion_matrix").GetProperty("counts").EnumerateArray()
                .Select(row => row.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray();
            Assert.Equal(cells, matrix);
        }
        Assert.Matches(@"(?m)^no_prediction\s+3$", evaluateOutput);
        // predict: the per-file counts leave them out (marked ?: 3), accuracy counts them as wrong
        Assert.Contains($"1: {counts[0]}, 2: {counts[1]}, ?: 3", predictOutput, StringComparison.Ordinal);
        Assert.Contains($"({right}/15)", predictOutput, StringComparison.Ordinal);
    }

    /// <summary>The GunPoint TEST file as .tsv with its first series' step 10 written as <c>inf</c>.</summary>
    private string WithInfinity()
    {
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        var text = new StringBuilder();
        for (var i = 0; i < test.Count; i++)
        {
            text.Append(test.Labels![i]);
            var series = test.Series(i);
            for (var t = 0; t < series.Length; t++)
                text.Append('\t').Append(i == 0 && t == 10 ? "inf" : series[t].ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        return _folder.Write("Inf_TEST.tsv", text.ToString());
    }

    [Theory]
    [InlineData("predict", "--out", "p.csv")]
    [InlineData("evaluate")]
    [InlineData("cam", "--items", "0", "--out", "cam")]
    [InlineData("faithfulness", "--methods", "gradcam", "--items", "0", "--steps", "2", "--out", "f")]
    public async Task Should_Refuse_An_Infinite_Value_Naming_Its_Place_Unless_Asked_To_Read_It_As_Missing(string command, params string[] more)
    {
        var data = WithInfinity();
        var rest = more.Select(a => a is "p.csv" or "cam" or "f" ? _folder.Combine(a) : a).ToArray();
        string[] args = command is "predict" or "evaluate"
            ? [command, "--model", model.Path, data, .. rest]
            : [command, "--model", model.Path, "--data", data, .. rest];

        var (refused, _, refusal) = await CliRunner.RunAsync(args, _folder.Combine("cache"));
        var (code, _, error) = await CliRunner.RunAsync([.. args, "--non-finite-as-missing"], _folder.Combine("cache"));

        Assert.Equal(1, refused);
        Assert.Contains("(1): expected a finite number or ?, found \"inf\" in column 12", Assert.Single(CliRunner.Lines(refusal)), StringComparison.Ordinal);
        Assert.True(code == 0, error);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Train_Should_Read_An_Infinite_Value_As_Missing_When_Asked()
    {
        var data = WithInfinity();
        string[] args = ["train", "--train", data, "--split", "pooled", "--epochs", "1", "--depth", "1", "--filters", "16", "--no-report", "--out", _folder.Combine("run")];

        var (refused, _, refusal) = await CliRunner.RunAsync(args, _folder.Combine("cache"));
        var (code, _, error) = await CliRunner.RunAsync([.. args, "--non-finite-as-missing"], _folder.Combine("cache"));

        Assert.True(refused == 1, refusal);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(_folder.Combine("run", "model.chronoscope")), error);
    }
}
