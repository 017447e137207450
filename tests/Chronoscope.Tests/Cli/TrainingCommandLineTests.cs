using System.Globalization;
using System.Text.RegularExpressions;
using Chronoscope.Cli;
using Chronoscope.Cli.Commands;
using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Reports;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>
/// The training commands without a shared trained model: <c>model summary</c>, argument errors, corrupt model files,
/// Ctrl+C, the terminal display and <c>lr-find</c> (the last three train a tiny network for a moment).
/// </summary>
public sealed partial class TrainingCommandLineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Cache => _folder.Combine("cache");

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args, Cache);

    private static string[] Rows(string text) => CliRunner.Lines(text).Select(l => CellGap().Replace(l.Trim(), "|")).ToArray();

    [GeneratedRegex(" {2,}")]
    private static partial Regex CellGap();

    [Theory]
    [InlineData("fastai")]
    [InlineData("paper")] // even kernels, padded unevenly
    public async Task Should_Show_A_Long_Series_Own_Length_Though_The_Pass_Runs_Over_A_Shorter_One(string variant)
    {
        // Given a length above the 1,000 steps the summary's forward pass runs over
        var (code, output, error) = await RunAsync("model", "summary", "--length", "2500", "--variant", variant);

        // Then every block shows that length, and the pooling and head theirs
        Assert.True(code == ExitCodes.Success, error);
        var rows = Rows(output);
        Assert.Equal(6, rows.Count(r => Regex.IsMatch(r, @"^\d\|Inception block \d.*\|\(1, 128, 2500\)\|")));
        Assert.Contains(rows, r => r.StartsWith("8|linear|(1, 2)|", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, 2, "421,666")]  // GunPoint, the reference's count
    [InlineData(24, 6, "472,742")] // NATOPS, the reference's learn.summary
    public async Task Should_Summarize_The_Network_Layer_By_Layer(int channels, int classes, string total)
    {
        var (code, output, error) = await RunAsync("model", "summary", "--channels", $"{channels}", "--classes", $"{classes}");

        Assert.True(code == ExitCodes.Success, error);
        var rows = Rows(output);
        Assert.Equal("layer|description|output shape|parameters", rows[1]);
        // block 5 (the layer the reference explains) keeps 128 channels and the length; the head outputs the classes
        Assert.Contains("5|Inception block 5 + shortcut|(1, 128, 150)|93,728", rows);
        Assert.Contains($"8|linear|(1, {classes})|{256 * classes + classes:N0}", rows);
        Assert.Equal($"total|{total}", rows[^1]);
    }

    [Fact]
    public void Should_Add_Up_The_Layers_Parameters_To_The_Total_Without_Leaking_Tensors()
    {
        using var leaks = new TensorLeakCheck();
        using var model = new InceptionTime(1, 2);

        var layers = ModelCommands.Layers(model, 150);

        // Then the 9 indexable layers hold every parameter once (421,666), and the model is left as it was
        Assert.Equal(9, layers.Count);
        Assert.Equal(421_666, layers.Sum(l => l.Parameters));
        Assert.Equal(["(1, 128, 150)", "(1, 256, 1)", "(1, 256)", "(1, 2)"], layers.Skip(5).Select(l => l.Shape));
        Assert.True(model.training);
    }

    [Fact]
    public async Task Should_Summarize_A_Model_File_At_Its_Training_Length()
    {
        // Given an untrained 3-channel, 4-class classifier with a shallow network saved to a file
        var path = _folder.Combine("small.chronoscope");
        SaveUntrainedModel(path, channels: 3, classes: 4, length: 60);

        var (code, output, error) = await RunAsync("model", "summary", "--model", path);

        Assert.True(code == ExitCodes.Success, error);
        var rows = Rows(output);
        Assert.StartsWith($"{path}: trained on Synthetic, classes 0, 1, 2, 3; InceptionTime (fastai): 3 channels → 4 classes, depth 2", rows[0], StringComparison.Ordinal);
        // a block outputs 4 branches × 4 filters at the training length 60; the concat pool doubles the channels
        Assert.Contains(rows, r => r.StartsWith("1|Inception block 1|(1, 16, 60)|", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("2|concat pool (max, average)|(1, 32, 1)|0", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("4|linear|(1, 4)|132", StringComparison.Ordinal)); // 32 × 4 weights + 4 biases
        Assert.Equal(8, rows.Length); // the title, the header, 5 layers, the total
    }

    [Theory]
    [InlineData("error: no data: give a dataset name (e.g. GunPoint) or --train FILE --test FILE.", "train")]
    [InlineData("error: --epochs 0: expected auto or a whole number from 1 to 1,000,000 (see 'chronoscope train --help').", "train", "GunPoint", "--epochs", "0")]
    [InlineData("error: --normalize zscore: expected one of auto, none, per-sample, per-channel, min-max, mean-series (see 'chronoscope train --help').", "train", "GunPoint", "--normalize", "zscore")]
    [InlineData("error: --kernels 39,x: expected 1 to 16 kernel sizes from 1 to 10,000 separated by commas, e.g. 39,19,9 (see 'chronoscope train --help').", "train", "GunPoint", "--kernels", "39,x")]
    [InlineData("error: --metrics accuracy,auc: unknown 'auc'; expected some of accuracy, error_rate, balanced_accuracy, f1_macro (see 'chronoscope train --help').", "train", "GunPoint", "--metrics", "accuracy,auc")]
    [InlineData("error: --monitor: only with --early-stopping N, which it tells what to watch.", "train", "GunPoint", "--monitor", "train_loss")]
    [InlineData("error: --valid-pct, --split-seed: only for --split pooled (--split official, the default, validates on the test file).", "train", "GunPoint", "--valid-pct", "0.3", "--split-seed", "7")]
    [InlineData("error: --split-seed: only for --split pooled (--split official, the default, validates on the test file).", "lr-find", "GunPoint", "--split", "official", "--split-seed", "7")]
    [InlineData("error: --monitor f1_macro: expected one of valid_loss, train_loss, accuracy.", "train", "GunPoint", "--early-stopping", "2", "--monitor", "f1_macro")]
    [InlineData("error: --lr -0.1: expected a number above 0 (see 'chronoscope train --help').", "train", "GunPoint", "--lr", "-0.1")]
    [InlineData("error: --split official validates on the test file: give --test FILE too, or --split pooled to split --train at random.", "train", "--train", "x_TRAIN.ts")]
    [InlineData("error: GunPoint_TRAIN.arff looks like a file; give files as --train GunPoint_TRAIN.arff --test <file>.", "lr-find", "GunPoint_TRAIN.arff")]
    [InlineData("error: --end 0.001 must be above --start 0.01.", "lr-find", "GunPoint", "--start", "0.01", "--end", "0.001")]
    [InlineData("error: --train 100000000 × --channels 3 × --length 100000 = 3e+13 values: expected at most 100,000,000 a split; make the set smaller.", "datasets", "synth", "-o", "s", "--train", "100000000", "--length", "100000")]
    [InlineData("error: --noise -1: expected a finite number of 0 or more.", "datasets", "synth", "-o", "s", "--noise", "-1")]
    [InlineData("error: Option '--model' is required (see 'chronoscope predict --help').", "predict", "x.ts")]
    [InlineData("error: --depth: the network's shape comes from the model file; give either --model or these.", "model", "summary", "--model", "m.chronoscope", "--depth", "3")]
    public async Task Should_Answer_A_Wrong_Command_Line_With_One_Line_And_Exit_Code_2(string expected, params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Empty(output);
        Assert.Equal(expected, Assert.Single(CliRunner.Lines(error)));
    }

    [Theory]
    [InlineData("predict")]
    [InlineData("evaluate")]
    [InlineData("summary")]
    public async Task Should_Answer_A_Corrupt_Model_File_With_Its_Path_And_Exit_Code_1(string command)
    {
        // Given a model file whose bytes were damaged after it was written
        var path = _folder.Combine("damaged.chronoscope");
        SaveUntrainedModel(path, channels: 1, classes: 2, length: 150);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        string[] args = command == "summary"
            ? ["model", "summary", "--model", path]
            : [command, "--model", path, TestData.GunPointTestArff];

        var (code, output, error) = await RunAsync(args);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Empty(output);
        Assert.Equal($"error: {path}: corrupt: its checksum does not match its content (the file was changed or damaged after it was written).", Assert.Single(CliRunner.Lines(error)));
    }

    [Fact]
    public async Task Should_Answer_A_File_That_Is_No_Model_With_Its_Path()
    {
        var path = _folder.Write("notes.txt", "hello, this is not a model\n");

        var (code, _, error) = await RunAsync("predict", "--model", path, TestData.GunPointTestArff);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal($"error: {path}: not a Chronoscope model file (expected it to start with \"CHRONOSCOPE-MODEL\", found \"hello, this is n\").", Assert.Single(CliRunner.Lines(error)));
    }

    [Fact]
    public async Task Should_Stop_On_Ctrl_C_Without_Writing_A_Model_Or_Pictures()
    {
        // Given a 3-epoch run whose Ctrl+C comes as soon as the first epoch's row is printed
        using var cancel = new CancellationTokenSource();
        var output = CapturedConsole.Redirected(text =>
        {
            if (Regex.IsMatch(text, @"^0 {2,}\d", RegexOptions.Multiline))
                cancel.Cancel();
        });
        var error = CapturedConsole.Redirected();
        var runFolder = _folder.Combine("run");

        var code = await CliRunner.RunAsync(["train", "GunPoint", "--epochs", "3", "--depth", "1", "--filters", "4", "--out", runFolder], Cache, output, error, cancel.Token);

        // Then the run stops after that epoch with exit code 130: no model, metrics or pictures, only the finished epoch in epochs.csv
        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Equal(["epochs.csv"], Directory.EnumerateFileSystemEntries(runFolder).Select(Path.GetFileName));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(runFolder, "epochs.csv")).Length);
        Assert.Equal($"cancelled after 1 epoch of 3: no model or pictures written (epochs.csv in {runFolder} keeps the finished epochs).", Assert.Single(CliRunner.Lines(error.Text)));
    }

    [Fact]
    public async Task Should_Keep_An_Earlier_Runs_Files_And_Say_Which_Are_Which_When_Cancelled_In_Its_Folder()
    {
        // Given a folder holding an earlier run's model and epochs, and a new run there stopped after its first epoch
        var runFolder = Directory.CreateDirectory(_folder.Combine("again")).FullName;
        File.WriteAllText(Path.Combine(runFolder, "model.chronoscope"), "earlier");
        File.WriteAllText(Path.Combine(runFolder, "epochs.csv"), "earlier");
        using var cancel = new CancellationTokenSource();
        var output = CapturedConsole.Redirected(text =>
        {
            if (Regex.IsMatch(text, @"^0 {2,}\d", RegexOptions.Multiline))
                cancel.Cancel();
        });
        var error = CapturedConsole.Redirected();

        var code = await CliRunner.RunAsync(["train", "GunPoint", "--epochs", "3", "--depth", "1", "--filters", "4", "--out", runFolder], Cache, output, error, cancel.Token);

        // Then the earlier model stays, epochs.csv is the new run's, and the message says so
        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Equal("earlier", File.ReadAllText(Path.Combine(runFolder, "model.chronoscope")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(runFolder, "epochs.csv")).Length);
        Assert.Equal($"cancelled after 1 epoch of 3: no model or pictures written (epochs.csv in {runFolder} now holds this run's finished epochs; its other files are the earlier run's).", Assert.Single(CliRunner.Lines(error.Text)));
    }

    [Fact]
    public async Task Should_Remove_The_Folder_It_Created_When_Cancelled_Before_Any_Epoch()
    {
        // Given Ctrl+C as soon as the learner's first note is printed (as the fit starts, before the first batch)
        using var cancel = new CancellationTokenSource();
        var output = CapturedConsole.Redirected(text =>
        {
            if (text.Contains("note: ", StringComparison.Ordinal))
                cancel.Cancel();
        });
        Directory.CreateDirectory(_folder.Combine("runs"));
        var runFolder = _folder.Combine("runs", "first");

        var code = await CliRunner.RunAsync(["train", "GunPoint", "--epochs", "2", "--batch-size", "64", "--depth", "1", "--filters", "4", "--out", runFolder], Cache, output, CapturedConsole.Redirected(), cancel.Token);

        // Then nothing is left: the folder the run created is gone, its parent (which existed) stays
        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.False(Directory.Exists(runFolder));
        Assert.True(Directory.Exists(_folder.Combine("runs")));
    }

    [Fact]
    public async Task Should_Show_A_Live_Progress_Bar_And_The_Rows_On_A_Terminal()
    {
        // Given an interactive ANSI terminal
        var output = CapturedConsole.Terminal();
        var error = CapturedConsole.Terminal();

        var code = await CliRunner.RunAsync(["train", "GunPoint", "--epochs", "2", "--depth", "1", "--filters", "4", "--out", _folder.Combine("run")], Cache, output, error);

        // Then the rows are printed as they complete, and a progress bar was drawn with ANSI sequences (cursor moves, colours)
        Assert.True(code == ExitCodes.Success, error.Text);
        var text = output.Text;
        Assert.Contains("\u001b[", text, StringComparison.Ordinal);
        Assert.All(["epoch 1/2 train", "epoch 1/2 valid", "epoch 2/2 train", "epoch 2/2 valid"], phase => Assert.Contains(phase, text, StringComparison.Ordinal));
        // (what the terminal shows of a line: escape sequences removed, and only what follows its last carriage return)
        var plain = string.Join('\n', Regex.Replace(text, @"\u001b\[[0-9;?]*[A-Za-z]", "").Split('\n').Select(l => l[(l.LastIndexOf('\r') + 1)..]));
        Assert.Matches(@"(?m)^0 {2,}\d+\.\d{6}", plain);
        Assert.Matches(@"(?m)^1 {2,}\d+\.\d{6}", plain);
    }

    [Fact]
    public async Task Should_Say_When_Long_Series_Hold_The_Automatic_Budget_Short_Of_Its_Steps()
    {
        // Given 16 training series of 26,000 steps: batches of 8, 2 an epoch; the work bound affords 24 epochs, so the
        // fit gets the floor of 25, 50 steps
        string Tsv(int count) => string.Concat(Enumerable.Range(0, count).Select(i =>
            $"{i % 2}\t{string.Join('\t', Enumerable.Range(0, 26_000).Select(t => Math.Sin((1 + i % 2) * t * 0.01).ToString("0.####", CultureInfo.InvariantCulture)))}\n"));
        var train = _folder.Write("Long_TRAIN.tsv", Tsv(16));
        var test = _folder.Write("Long_TEST.tsv", Tsv(4));

        // When it trains with the automatic budget
        var (code, output, error) = await RunAsync("train", "--train", train, "--test", test, "--depth", "1", "--filters", "4", "--no-report", "--out", _folder.Combine("run"));

        // Then the header's budget is followed by the note
        Assert.True(code == ExitCodes.Success, error);
        var lines = CliRunner.Lines(output);
        var header = Array.FindIndex(lines, l => l.Contains("25 epochs (auto: 50 optimizer steps of 2 per epoch", StringComparison.Ordinal));
        Assert.True(header >= 0, output);
        Assert.StartsWith("note: 50 optimizer steps, short of 500: the work bound of 10,000,000 series × time steps holds series this long to the floor of 25 epochs", lines[header + 1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Announce_And_Run_A_Second_Cycle_When_The_First_Leaves_The_Loss_Far_Above_Its_Floor()
    {
        // Given 16 training series of 1,000 steps, every one the same whatever its class (no fit can go below ln 2, far
        // above label smoothing's floor of 0.20): batches of 8, 2 an epoch; a cycle's work affords 62 epochs, the whole
        // bound the 250 that make 500 steps
        var series = string.Join('\t', Enumerable.Range(0, 1_000).Select(t => Math.Sin(t * 0.05).ToString("0.####", CultureInfo.InvariantCulture)));
        string Tsv(int count) => string.Concat(Enumerable.Range(0, count).Select(i => $"{i % 2}\t{series}\n"));
        var train = _folder.Write("Same_TRAIN.tsv", Tsv(16));
        var test = _folder.Write("Same_TEST.tsv", Tsv(4));
        var run = _folder.Combine("run");

        // When it trains with the automatic budget
        var (code, output, error) = await RunAsync("train", "--train", train, "--test", test, "--depth", "1", "--filters", "4", "--no-report", "--out", run);

        // Then the header offers the second cycle, a note says why it runs, and the record has every epoch
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("one-cycle, 62 epochs (auto: 124 optimizer steps of 2 per epoch, validating every 25 epochs; a second cycle of 188 more at max lr 0.001 if the first ends with the training loss more than 0.1 above its floor) at max lr 0.003", output, StringComparison.Ordinal);
        Assert.Matches(@"note: the training loss ended the first cycle of 62 epochs at 0\.\d\d, 0\.\d\d above label smoothing's floor of 0\.20 for 2 classes: a second cycle of 188 epochs follows", output);
        var record = RunRecord.Load(Path.Combine(run, "metrics.json"));
        Assert.Equal(250, record.Settings.Epochs);
        Assert.Equal(249, record.Epochs[^1].Epoch);
        Assert.Contains("250 epochs in", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_End_After_The_First_Cycle_When_It_Leaves_The_Loss_Near_Its_Floor()
    {
        // Given 16 training series of 500 steps, two sine frequencies for the two classes (a fit reaches within about
        // 0.015 of label smoothing's floor in the first cycle): batches of 8, 2 an epoch; a cycle's work affords 125
        // epochs, the whole bound 250
        string Row(int i) => $"{i % 2}\t{string.Join('\t', Enumerable.Range(0, 500).Select(t => Math.Sin((1 + i % 2) * t * 0.05).ToString("0.####", CultureInfo.InvariantCulture)))}\n";
        var train = _folder.Write("Two_TRAIN.tsv", string.Concat(Enumerable.Range(0, 16).Select(Row)));
        var test = _folder.Write("Two_TEST.tsv", string.Concat(Enumerable.Range(0, 4).Select(Row)));
        var run = _folder.Combine("run");

        // When it trains with the automatic budget
        var (code, output, error) = await RunAsync("train", "--train", train, "--test", test, "--depth", "1", "--filters", "8", "--no-report", "--out", run);

        // Then the header offers the second cycle, but the fit ends after the first, its last epoch validated, no note
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("125 epochs (auto: 250 optimizer steps of 2 per epoch, validating every 25 epochs; a second cycle of 125 more at max lr 0.001 if", output, StringComparison.Ordinal);
        Assert.DoesNotContain("a second cycle of 125 epochs follows", output, StringComparison.Ordinal);
        Assert.Contains("after 125 epochs in", output, StringComparison.Ordinal);
        var record = RunRecord.Load(Path.Combine(run, "metrics.json"));
        Assert.Equal(125, record.Settings.Epochs);
        Assert.Equal(124, record.Epochs[^1].Epoch);
        Assert.InRange(record.Epochs[^1].TrainLoss, 0.1985, 0.1985 + 0.1);
    }

    [Fact]
    public async Task Should_Train_On_Resampled_Series_And_Resample_What_The_Model_Is_Given()
    {
        // Given .ts files of series of 20 to 40 steps
        var train = VariableLengthTs("Var_TRAIN", 16, 1, 40);
        var test = VariableLengthTs("Var_TEST", 6, 2, 40);
        var run = _folder.Combine("run");

        // When a model trains on them with the default (auto), then predicts a file of other lengths
        var (code, output, error) = await RunAsync("train", "--train", train, "--test", test, "--epochs", "1",
            "--depth", "1", "--filters", "4", "--no-report", "--out", run);
        var (predictCode, _, predictError) = await RunAsync("predict", "--model", Path.Combine(run, "model.chronoscope"), test, "--out", _folder.Combine("p.csv"));

        // Then training says the series were resampled to the longest and why, records it, and prediction resamples with a note
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("length 40 (resampled), 1 channel", output, StringComparison.Ordinal);
        var lengths = File.ReadLines(train).SkipWhile(l => l != "@data").Skip(1).Select(l => l.Split(',').Length).Order().ToList();
        var choice = $"auto: series resampled to 40 steps, as the training series vary in length ({lengths[0]} to 40 steps; {lengths.Count(n => n == 40)} of 16 at the longest); --variable-lengths pad pads them instead";
        Assert.Contains(choice, CliRunner.Lines(output));
        Assert.DoesNotContain("auto: per-sample", output, StringComparison.Ordinal);
        var record = RunRecord.Load(Path.Combine(run, "metrics.json"));
        Assert.Equal("resample", record.Settings.VariableLengths);
        Assert.Contains(choice, record.Notes);
        Assert.True(predictCode == ExitCodes.Success, predictError);
        var note = Assert.Single(CliRunner.Lines(predictError));
        Assert.StartsWith($"note: {test}: series of lengths ", note, StringComparison.Ordinal);
        Assert.EndsWith(" to 40 resampled to 40 steps, as the model's training series were.", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Say_That_Training_Series_Of_One_Length_Are_Padded_To_Longer_Test_Series()
    {
        // Given training series all of 20 steps and test series of 20 to 40
        var train = VariableLengthTs("Short_TRAIN", 16, 1, 20);
        var test = VariableLengthTs("Short_TEST", 6, 2, 40);

        // When a model trains on them with the default (auto)
        var (code, output, error) = await RunAsync("train", "--train", train, "--test", test, "--epochs", "1",
            "--depth", "1", "--filters", "4", "--no-report", "--out", _folder.Combine("run"));

        // Then the data line and the choice say that the training series were padded, and why
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("length 40 (training series of 20 steps padded), 1 channel", output, StringComparison.Ordinal);
        Assert.Contains("auto: the training series (20 steps) padded to the validation series' 40, as the training series are of one length; --variable-lengths resample stretches every series to 40 steps instead",
            CliRunner.Lines(output));
    }

    [Fact]
    public async Task Should_Scale_Each_Series_By_Default_Where_Their_Scales_Span_Orders_Of_Magnitude()
    {
        // Given 20 sines of 32 steps whose amplitudes run from 1e-4 to 1e2 evenly in logarithm (deviations amplitude/√2)
        var text = new System.Text.StringBuilder("@problemName Wide\n@univariate true\n@equalLength true\n@seriesLength 32\n@classLabel true 0 1\n@data\n");
        for (var i = 0; i < 20; i++)
        {
            var amplitude = Math.Pow(10, -4 + 6.0 * i / 19);
            text.AppendJoin(',', Enumerable.Range(0, 32).Select(t => (amplitude * Math.Sin(2 * Math.PI * (1 + i % 2) * t / 32)).ToString("R", CultureInfo.InvariantCulture)))
                .Append(':').Append(i % 2).Append('\n');
        }
        var train = _folder.Write("Wide_TRAIN.ts", text.ToString());
        var run = _folder.Combine("run");

        // When a model trains on them with the defaults
        var (code, output, error) = await RunAsync("train", "--train", train, "--test", train, "--epochs", "1", "--depth", "1", "--filters", "4", "--no-report", "--out", run);

        // Then each series is scaled on its own, and train says why (5th and 95th percentiles: series 1 and 18 of 20,
        // 17/19 of six orders apart), records it, and does not also suggest it as a note
        Assert.True(code == ExitCodes.Success, error);
        var (low, high) = (Math.Pow(10, -4 + 6.0 / 19) / Math.Sqrt(2), Math.Pow(10, -4 + 6.0 * 18 / 19) / Math.Sqrt(2));
        var choice = string.Create(CultureInfo.InvariantCulture,
            $"auto: per-sample normalization, as the training series' standard deviations span 5.4 orders of magnitude ({low:G3} at the 5th percentile, {high:G3} at the 95th); --normalize none keeps the values as read");
        Assert.Contains(choice, CliRunner.Lines(output));
        Assert.DoesNotContain("consider per-sample", output + error, StringComparison.Ordinal);
        var record = RunRecord.Load(Path.Combine(run, "metrics.json"));
        Assert.Equal("per-sample", record.Settings.Normalization);
        Assert.Contains(choice, record.Notes);
    }

    [Fact]
    public async Task Should_Report_A_Padding_Run_Whose_Test_Series_Are_Longer_Than_Its_Training_Series()
    {
        // Given a model trained, padded, on series of 20 to 30 steps and validated on series up to 40 (its length: 40)
        var train = VariableLengthTs("Pad_TRAIN", 16, 1, 30);
        var test = VariableLengthTs("Pad_TEST", 6, 2, 40);
        var run = _folder.Combine("run");
        var (code, _, error) = await RunAsync("train", "--train", train, "--test", test, "--variable-lengths", "pad", "--epochs", "1", "--depth", "1", "--filters", "4", "--no-report", "--out", run);
        Assert.True(code == ExitCodes.Success, error);

        // When its report is made from the run folder (counterfactuals borrow the training series, 30 steps long)
        var (reportCode, output, reportError) = await RunAsync("report", run);

        // Then the training series are padded to the model's length, as in training, and the page is written
        Assert.True(reportCode == ExitCodes.Success, reportError);
        Assert.Contains("wrote ", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "report.html")));
    }

    /// <summary>A .ts file of <paramref name="count"/> sines (2 classes) of 20 to <paramref name="longest"/> steps, the first the longest.</summary>
    private string VariableLengthTs(string name, int count, int seed, int longest)
    {
        var random = new Random(seed);
        var text = new System.Text.StringBuilder($"@problemName {name}\n@univariate true\n@equalLength false\n@classLabel true 0 1\n@data\n");
        for (var i = 0; i < count; i++)
        {
            var length = i == 0 ? longest : random.Next(20, longest + 1);
            text.AppendJoin(',', Enumerable.Range(0, length).Select(t => Math.Sin((1 + i % 2) * 6.3 * t / length).ToString("0.####", CultureInfo.InvariantCulture)))
                .Append(':').Append(i % 2).Append('\n');
        }
        return _folder.Write($"{name}.ts", text.ToString());
    }

    [Fact]
    public async Task Should_Find_A_Learning_Rate_And_Draw_The_Sweep()
    {
        // Given a short sweep of 12 batches on GunPoint with a tiny network
        var runFolder = _folder.Combine("lr");

        var (code, output, error) = await RunAsync("lr-find", "GunPoint", "--iterations", "12", "--depth", "1", "--filters", "4", "--out", runFolder);

        // Then the three suggestions are printed, the picture and the sweep's CSV written, the model left untrained
        Assert.True(code == ExitCodes.Success, error);
        var rows = Rows(output);
        Assert.Contains(rows, r => Regex.IsMatch(r, @"^valley\|\d\.\de[-+]\d\d\|"));
        Assert.Contains(rows, r => Regex.IsMatch(r, @"^minimum/10\|\d\.\de[-+]\d\d\|"));
        Assert.Contains(rows, r => Regex.IsMatch(r, @"^steepest\|\d\.\de[-+]\d\d\|"));
        Assert.Equal(["lr-find.csv", "lr-find.png", "lr-find.svg"], Directory.EnumerateFileSystemEntries(runFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var csv = File.ReadAllLines(Path.Combine(runFolder, "lr-find.csv"));
        Assert.Equal("learning_rate,loss", csv[0]);
        Assert.InRange(csv.Length - 1, 2, 12);
        Assert.Equal(1e-7, double.Parse(csv[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Should_Say_When_Threads_Outnumber_The_Processors()
    {
        // Given a sweep of 2 batches with one thread more than the machine has processors
        var threads = Environment.ProcessorCount + 1;
        var (code, output, error) = await RunAsync("lr-find", "GunPoint", "--iterations", "2", "--depth", "1", "--filters", "4", "--threads", $"{threads}", "--out", _folder.Combine("lr-threads"));

        // Then the header says the extra threads only wait
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains($"{threads} threads (more than this machine's {Environment.ProcessorCount} processors: the extra threads only wait, and slow training)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Suggest_No_Rate_When_The_Loss_Never_Falls()
    {
        // Given a sweep from a rate far too high for the loss to fall (it diverges within a few batches)
        var runFolder = _folder.Combine("lr-high");

        var (code, output, error) = await RunAsync("lr-find", "GunPoint", "--start", "1e3", "--end", "1e6", "--iterations", "5", "--depth", "1", "--filters", "4", "--out", runFolder);

        // Then no suggestion is printed (the sweep and its picture are still written), and lower rates are named
        Assert.True(code == ExitCodes.Success, error);
        var rows = Rows(output);
        Assert.DoesNotContain(rows, r => r.StartsWith("valley|", StringComparison.Ordinal) || r.StartsWith("suggested:", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("no suggestion: the loss never fell below its first value", StringComparison.Ordinal) && r.EndsWith("sweep lower rates (--start 1.0e+01).", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(runFolder, "lr-find.csv")));
    }

    private static void SaveUntrainedModel(string path, int channels, int classes, int length)
    {
        var data = SyntheticData.Create(classes * 2, channels, length, classes, seed: 1);
        using var model = new InceptionTime(channels, classes, new InceptionTimeOptions { Depth = 2, Filters = 4 });
        using var classifier = new TimeSeriesClassifier(model, data.Classes, Normalizer.Fit(Normalization.None, data), MissingValues.Interpolate, length, "Synthetic");
        classifier.Save(path);
    }
}
