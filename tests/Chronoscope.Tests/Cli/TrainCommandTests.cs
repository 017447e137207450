using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chronoscope.Cli;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary><c>train</c>, then <c>predict</c> and <c>evaluate</c> with the model it wrote (GunPoint, 2 epochs, trained once).</summary>
public sealed partial class TrainCommandTests(TrainedGunPoint run) : IClassFixture<TrainedGunPoint>
{
    [Fact]
    public void Should_Print_Notes_Then_A_Fastai_Epoch_Table_Without_Control_Characters()
    {
        // Given GunPoint trained 2 epochs with output redirected
        Assert.True(run.Code == 0, run.Error);
        Assert.Empty(run.Error);
        var lines = CliRunner.Lines(run.Output);

        // Then the small-training-set note comes before the table
        var note = Array.FindIndex(lines, l => l.StartsWith("note: the training set has 50 series, fewer than a batch of 64", StringComparison.Ordinal));
        var header = Array.IndexOf(lines, "epoch     train_loss  valid_loss  accuracy  time");
        Assert.InRange(note, 0, header - 1);
        // the table is the header and exactly one plain row per epoch: losses and accuracy with 6 decimals, time mm:ss
        Assert.Equal(["0", "1"], lines.Where(l => EpochRow().IsMatch(l)).Select(l => l.Split(' ')[0]));
        Assert.True(EpochRow().IsMatch(lines[header + 1]) && EpochRow().IsMatch(lines[header + 2]), string.Join('\n', lines));
        // and nothing on the way is a control character (no ANSI escape, no carriage return of a progress bar)
        Assert.DoesNotContain(run.Output, c => char.IsControl(c) && c != '\n');
        Assert.StartsWith($"wrote {run.RunFolder}: model.chronoscope, metrics.json", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Write_The_Model_Metrics_Epochs_And_Pictures()
    {
        string[] expected =
        [
            "confusion.png", "confusion.svg", "epochs.csv", "loss.png", "loss.svg", "metrics.json", "model.chronoscope",
            "report.html", "schedule.png", "schedule.svg",
        ];
        // Exactly these: no temporary file of an atomic write is left behind
        Assert.Equal(expected, Directory.EnumerateFileSystemEntries(run.RunFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(expected.Where(f => f.EndsWith(".png", StringComparison.Ordinal)),
            f => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(run.RunFolder, f))[..4]));
    }

    [Fact]
    public void Should_Report_In_Metrics_Json_What_The_Table_And_Epochs_Csv_Show()
    {
        // Given metrics.json, epochs.csv and the printed table
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "metrics.json")));
        var root = json.RootElement;
        var epochs = root.GetProperty("epochs").EnumerateArray().ToArray();
        var csv = File.ReadAllLines(Path.Combine(run.RunFolder, "epochs.csv"));
        var rows = CliRunner.Lines(run.Output).Where(l => EpochRow().IsMatch(l)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();

        // Then there are 2 epochs everywhere, with the same numbers
        Assert.Equal(2, epochs.Length);
        Assert.Equal(["epoch,train_loss,valid_loss,accuracy,seconds"], csv[..1]);
        Assert.Equal(3, csv.Length);
        for (var e = 0; e < 2; e++)
        {
            var fromJson = epochs[e];
            string F6(double v) => v.ToString("F6", CultureInfo.InvariantCulture);
            var values = new[] { fromJson.GetProperty("train_loss").GetDouble(), fromJson.GetProperty("valid_loss").GetDouble(), fromJson.GetProperty("metrics").GetProperty("accuracy").GetDouble() };
            Assert.Equal(values.Select(F6), rows[e][1..4]);
            Assert.Equal(values.Select(F6), csv[e + 1].Split(',')[1..4]);
        }
        // the final numbers are the last epoch's, and the confusion matrix counts the 150 test series
        var final = root.GetProperty("final");
        Assert.Equal(epochs[1].GetProperty("valid_loss").GetDouble(), final.GetProperty("valid_loss").GetDouble());
        Assert.Equal(150, root.GetProperty("confusion_matrix").GetProperty("counts").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt64()));
        // and the settings, data and notes are recorded
        Assert.Equal("official", root.GetProperty("settings").GetProperty("split").GetString());
        Assert.Equal(421_666, root.GetProperty("model").GetProperty("parameters").GetInt64());
        Assert.Equal((50, 150), (root.GetProperty("dataset").GetProperty("train_count").GetInt32(), root.GetProperty("dataset").GetProperty("valid_count").GetInt32()));
        // (a batch larger than the training set, BatchNorm recalibrated, and two epochs far from fitting)
        var notes = root.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToArray();
        Assert.Equal(3, notes.Length);
        Assert.StartsWith("the training loss ended at ", notes[2], StringComparison.Ordinal);
        Assert.Equal($"chronoscope train GunPoint --epochs 2 --batch-size 64 --out {run.RunFolder}", root.GetProperty("command_line").GetString());
    }

    [Fact]
    public void Should_Save_A_Model_That_Predicts_The_Test_File_With_The_Reported_Accuracy()
    {
        // Given the final accuracy metrics.json reports (validation = the TEST file, official split)
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "metrics.json")));
        var reported = json.RootElement.GetProperty("final").GetProperty("metrics").GetProperty("accuracy").GetDouble();

        // When the saved model is loaded and predicts the TEST file
        using var classifier = TimeSeriesClassifier.Load(run.ModelPath);
        var predictions = classifier.Predict(DatasetReader.Read(run.TestFile));

        // Then its accuracy is the reported one
        Assert.Equal(reported, predictions.Accuracy!.Value, 12);
        Assert.Equal(2, classifier.Training!.Epochs);
    }

    [Fact]
    public async Task Should_Predict_Every_Series_Into_A_Csv_With_The_Models_Probabilities()
    {
        // Given the model and the labelled TEST file, and the same predictions made by the library (second path)
        using var folder = new TempFolder();
        var csvPath = folder.Combine("predictions.csv");
        using var classifier = TimeSeriesClassifier.Load(run.ModelPath);
        var expected = classifier.Predict(DatasetReader.Read(run.TestFile));

        // When predict writes its CSV
        var (code, output, error) = await CliRunner.RunAsync(["predict", "--model", run.ModelPath, run.TestFile, "--out", csvPath], run.Cache);

        // Then it has the documented columns and one row per series with exactly the library's numbers
        Assert.True(code == ExitCodes.Success, error);
        var lines = File.ReadAllLines(csvPath);
        Assert.Equal("file,index,label,predicted,confidence,p_1,p_2", lines[0]);
        Assert.Equal(151, lines.Length);
        for (var i = 0; i < expected.Count; i++)
        {
            var cells = lines[i + 1].Split(',');
            Assert.Equal([run.TestFile, i.ToString(CultureInfo.InvariantCulture), expected.Classes[expected.Targets![i]], expected.PredictedClass(i)], cells[..4]);
            Assert.Equal(expected.Confidence(i), float.Parse(cells[4], CultureInfo.InvariantCulture));
            Assert.Equal([expected.Probability(i, 0), expected.Probability(i, 1)], cells[5..].Select(c => float.Parse(c, CultureInfo.InvariantCulture)));
        }
        // and the summary gives the accuracy over the labelled series
        var accuracy = expected.Accuracy!.Value.ToString("F6", CultureInfo.InvariantCulture);
        Assert.Contains(CliRunner.Lines(output), l => l.StartsWith(run.TestFile, StringComparison.Ordinal) && l.Contains($"{accuracy} (", StringComparison.Ordinal));
        Assert.Equal($"wrote {csvPath}: 150 rows", CliRunner.Lines(output)[^1]);
        Assert.Equal(["predictions.csv"], folder.Entries());
    }

    [Fact]
    public async Task Should_Predict_In_BFloat16_When_Asked_And_Say_So()
    {
        // Given the model and the library's bfloat16 predictions of the TEST file (second path)
        using var folder = new TempFolder();
        var csvPath = folder.Combine("predictions.csv");
        using var classifier = TimeSeriesClassifier.Load(run.ModelPath);
        classifier.Precision = InferencePrecision.BFloat16;
        var expected = classifier.Predict(DatasetReader.Read(run.TestFile));

        // When predict is asked for bf16
        var (code, output, error) = await CliRunner.RunAsync(["predict", "--model", run.ModelPath, run.TestFile, "--out", csvPath, "--precision", "bf16"], run.Cache);

        // Then the model line says so, and the CSV holds the library's bfloat16 probabilities
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("; predicting in bf16", CliRunner.Lines(output)[0], StringComparison.Ordinal);
        var lines = File.ReadAllLines(csvPath);
        for (var i = 0; i < expected.Count; i++)
            Assert.Equal(expected.Probability(i, 1), float.Parse(lines[i + 1].Split(',')[6], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Should_Evaluate_With_The_Numbers_Of_The_Librarys_Predictions()
    {
        // Given the library's confusion matrix of the model on the TEST file (second path)
        using var folder = new TempFolder();
        var jsonPath = folder.Combine("evaluation.json");
        using var classifier = TimeSeriesClassifier.Load(run.ModelPath);
        var predictions = classifier.Predict(DatasetReader.Read(run.TestFile));
        var confusion = predictions.Confusion()!;

        // When evaluate scores the same file
        var (code, output, error) = await CliRunner.RunAsync(["evaluate", "--model", run.ModelPath, run.TestFile, "--json", jsonPath, "--top", "3"], run.Cache);

        // Then the printed and written numbers are the library's
        Assert.True(code == ExitCodes.Success, error);
        var rows = CliRunner.Lines(output).Select(l => CellGap().Replace(l.Trim(), "|")).ToArray();
        string F6(double v) => v.ToString("F6", CultureInfo.InvariantCulture);
        Assert.Contains($"accuracy|{F6(confusion.Accuracy)}", rows);
        Assert.Contains($"balanced_accuracy|{F6(confusion.BalancedAccuracy)}", rows);
        Assert.Contains($"f1_macro|{F6(confusion.MacroF1)}", rows);
        Assert.Contains($"error_rate|{F6(confusion.ErrorRate)}", rows);
        Assert.Contains($"1|{confusion[0, 0]}|{confusion[0, 1]}", rows);
        Assert.Contains($"2|{confusion[1, 0]}|{confusion[1, 1]}", rows);
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var root = json.RootElement;
        Assert.Equal(confusion.Accuracy, root.GetProperty("accuracy").GetDouble());
        Assert.Equal(confusion.BalancedAccuracy, root.GetProperty("balanced_accuracy").GetDouble());
        Assert.Equal(confusion.MacroF1, root.GetProperty("f1_macro").GetDouble());
        Assert.Equal(confusion.ToRows(), root.GetProperty("confusion_matrix").GetProperty("counts").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()));
        Assert.Equal(predictions.TopLosses(3), root.GetProperty("top_losses").EnumerateArray().Select(t => t.GetProperty("item").GetInt32()));
        Assert.Equal(confusion.MostConfused().Select(m => m.Count), root.GetProperty("most_confused").EnumerateArray().Select(m => m.GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task Should_Refuse_Series_With_Another_Channel_Count_In_One_Line()
    {
        // Given the univariate GunPoint model and a 6-channel file
        var basicMotions = TestData.File("BasicMotions", "BasicMotions_TEST.ts");

        var (code, output, error) = await CliRunner.RunAsync(["predict", "--model", run.ModelPath, basicMotions, "--out", Path.Combine(run.Cache, "never.csv")], run.Cache);

        // Then exit code 1, one line naming the file and both channel counts, and no CSV
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Empty(output);
        var line = Assert.Single(CliRunner.Lines(error));
        Assert.Equal($"error: {basicMotions}: the model was trained on 1-channel series (GunPoint), this data has 6 channels.", line);
        Assert.False(File.Exists(Path.Combine(run.Cache, "never.csv")));
    }

    /// <summary>fastai's row: epoch, then train_loss, valid_loss and accuracy with 6 decimals, then mm:ss.</summary>
    [GeneratedRegex(@"^\d+ +\d+\.\d{6} +\d+\.\d{6} +\d\.\d{6} +\d\d:\d\d$")]
    private static partial Regex EpochRow();

    [GeneratedRegex(" {2,}")]
    private static partial Regex CellGap();
}
