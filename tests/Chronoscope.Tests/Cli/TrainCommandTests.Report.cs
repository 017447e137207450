using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chronoscope.Cli;
using Chronoscope.Cli.Commands;
using Chronoscope.Data;
using Chronoscope.Inference;
using Chronoscope.Models;
using Chronoscope.Reports;
using Chronoscope.Tests.TestSupport;
using Chronoscope.Training;

namespace Chronoscope.Tests.Cli;

/// <summary><c>chronoscope report</c> on the run folder <c>train</c> wrote (the same GunPoint run), and <c>train</c>'s own report.html.</summary>
public sealed partial class TrainCommandTests
{
    [Fact]
    public void Should_Write_The_Html_Report_At_The_End_Of_Training()
    {
        // Given the run of train (which also reported its files on the last line)
        var html = File.ReadAllText(Path.Combine(run.RunFolder, "report.html"));

        // Then the page has every section, and explains the 150 test series: 76 of class 1, 74 of class 2
        Assert.EndsWith(", report.html", CliRunner.Lines(run.Output)[^1], StringComparison.Ordinal);
        Assert.All(RunReportPage.SectionIds, id => Assert.Contains($"<section id=\"{id}\">", html, StringComparison.Ordinal));
        Assert.Contains("<tr><td>1</td><td class=\"n\">76</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>2</td><td class=\"n\">74</td>", html, StringComparison.Ordinal);
        Assert.Contains("the same counts as the last epoch's validation", html, StringComparison.Ordinal);
        // with the faithfulness curves and, the training series handed over, the misclassified series' counterfactuals
        Assert.Contains("Measured on 16 of the 150 validation series", html, StringComparison.Ordinal);
        AssertCounterfactualsSought(html);
        // and no progress line was printed on redirected output
        Assert.DoesNotContain(CliRunner.Lines(run.Output), l => l.StartsWith("explaining", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_Report_A_Run_Folder_On_The_Runs_Own_Validation_Set()
    {
        // Given the run folder of an official split (validated on the TEST file)
        using var temp = new TempFolder();
        var page = temp.Combine("page.html");

        // When report writes the page elsewhere, with class names
        var (code, output, error) = await CliRunner.RunAsync(["report", run.RunFolder, "--out", page, "--class-names", "1=Gun,2=Point"], run.Cache);

        // Then it explained the test file and said where it wrote the page
        Assert.True(code == ExitCodes.Success, error);
        Assert.Empty(error);
        var lines = CliRunner.Lines(output);
        Assert.Equal($"run {run.RunFolder}: GunPoint, 2 epochs; explaining GunPoint_TEST.arff (150 series, the run's validation set)", lines[0]);
        Assert.Equal($"wrote {page}", lines[^1]);
        var html = File.ReadAllText(page);
        Assert.Contains("<tr><td>1 (Gun)</td><td class=\"n\">76</td>", html, StringComparison.Ordinal);
        Assert.Contains("[Point] - 74 series - GRAD-CAM - mean", html, StringComparison.Ordinal);
        AssertCounterfactualsSought(html); // among the recorded training file's series
        Assert.Equal(["page.html"], temp.Entries());
    }

    [Fact]
    public async Task Should_Warn_Before_Explaining_When_The_Passes_Need_More_Memory_Than_Is_Available_Now()
    {
        // Given the run folder, and a large machine (assumed) with no memory free beyond what the process holds
        using var temp = new TempFolder();
        var page = temp.Combine("page.html");
        using var machine = MachineMemory.Assume(new MachineMemory(100L << 30, 0, "MemTotal"));

        // When report writes the page
        var (code, _, error) = await CliRunner.RunAsync(["report", run.RunFolder, "--out", page], run.Cache);

        // Then it writes the page, after one warning that names the validation file and the explanation's work
        Assert.True(code == ExitCodes.Success, error);
        var warning = Assert.Single(CliRunner.Lines(error), l => l.Contains("available to it now", StringComparison.Ordinal));
        Assert.StartsWith("warning: ", warning, StringComparison.Ordinal);
        Assert.Contains("GunPoint_TEST.arff: explaining (GRAD-CAM) series of 150 steps", warning, StringComparison.Ordinal);
        Assert.True(File.Exists(page));
    }

    [Fact]
    public async Task Should_Draw_The_Same_Random_Split_Again_For_A_Pooled_Run()
    {
        // Given a run folder whose record says: pooled TRAIN + TEST, 20% validation drawn with seed 7
        using var temp = new TempFolder();
        var folder = CopyRun(temp, json =>
        {
            json["settings"]!["split"] = "pooled";
            json["settings"]!["valid_percent"] = 0.2;
            json["settings"]!["split_seed"] = 7;
            json["dataset"]!["train_file"] = TestData.GunPointTrainArff;
            json["dataset"]!["test_file"] = TestData.GunPointTestArff;
            json["dataset"]!["valid_count"] = 40;
        });
        // and the split the loaders draw from the same files (second path)
        using var loaders = DataLoaders.FromFiles([TestData.GunPointTrainArff, TestData.GunPointTestArff], new DataLoadersOptions { ValidPercent = 0.2, SplitSeed = 7 });
        var counts = loaders.Valid.Dataset.ClassCounts();

        // When report runs on it
        var (code, output, error) = await CliRunner.RunAsync(["report", folder], run.Cache);

        // Then it explains those 40 series, class by class as the loaders split them, and writes report.html into the folder
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("explaining 40 series drawn from GunPoint_TRAIN.arff + GunPoint_TEST.arff (20% with seed 7, the run's validation set)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("note:", output, StringComparison.Ordinal);
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains($"<tr><td>1</td><td class=\"n\">{counts[0]}</td>", html, StringComparison.Ordinal);
        Assert.Contains($"<tr><td>2</td><td class=\"n\">{counts[1]}</td>", html, StringComparison.Ordinal);
        Assert.NotEqual(0, counts[0]);
        AssertCounterfactualsSought(html); // among the pooled split's training part
    }

    [Fact]
    public async Task Should_Say_When_The_Runs_Test_File_Changed_Since_Training()
    {
        // Given a run folder whose recorded test file now holds the same number of series, one value changed
        using var temp = new TempFolder();
        var recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "metrics.json")))!["dataset"]!;
        Assert.NotNull(recorded["test_sha256"]?.GetValue<string>()); // train recorded the files' hashes
        var lines = File.ReadAllLines(recorded["test_file"]!.GetValue<string>());
        var first = Array.FindIndex(lines, l => l.Length > 0 && (char.IsDigit(l[0]) || l[0] == '-'));
        lines[first] = "0.5" + lines[first][lines[first].IndexOf(',', StringComparison.Ordinal)..]; // its first value
        var edited = temp.Write("GunPoint_TEST.arff", string.Join('\n', lines) + "\n");
        var folder = CopyRun(temp, json => json["dataset"]!["test_file"] = edited);

        // When report explains the run's validation set
        var (code, output, error) = await CliRunner.RunAsync(["report", folder, "--faithfulness-series", "2", "--counterfactuals", "0"], run.Cache);

        // Then it says the file changed, on the console and on the page
        Assert.True(code == 0, error);
        Assert.Contains($"note: {edited} changed since training (SHA-256 differs from the run's record): the series explained are the files as they are now.", CliRunner.Lines(output));
        Assert.Contains("changed since training", File.ReadAllText(Path.Combine(folder, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Say_Why_There_Are_No_Counterfactuals_When_The_Training_File_Is_Gone()
    {
        // Given a run folder whose recorded training file is no longer there
        using var temp = new TempFolder();
        var gone = temp.Combine("gone", "GunPoint_TRAIN.arff");
        var folder = CopyRun(temp, json => json["dataset"]!["train_file"] = gone);

        // When report explains the test file given with --data, and then with --counterfactuals 0
        var (code, output, error) = await CliRunner.RunAsync(["report", folder, "--data", TestData.GunPointTestArff, "--faithfulness-series", "4"], run.Cache);
        var (quietCode, quiet, quietError) = await CliRunner.RunAsync(["report", folder, "--data", TestData.GunPointTestArff, "--counterfactuals", "0", "--out", temp.Combine("quiet.html")], run.Cache);

        // Then the page is written all the same, and both the console and the page say why it has no counterfactuals
        Assert.True(code == 0, error);
        Assert.Contains($"note: no counterfactuals: {gone}, the run's training data, is no longer there.", CliRunner.Lines(output));
        var html = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains($"<li>No counterfactuals: {gone}, the run&#39;s training data, is no longer there.</li>", html, StringComparison.Ordinal);
        Assert.Contains("Measured on 4 of the 150 validation series", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"counterfactual-", html, StringComparison.Ordinal);
        // unless none were asked for
        Assert.True(quietCode == 0, quietError);
        Assert.DoesNotContain("note:", quiet, StringComparison.Ordinal);
    }

    /// <summary>The page's counterfactual section was computed: cards, or "none needed" when nothing was misclassified.</summary>
    private static void AssertCounterfactualsSought(string html)
    {
        Assert.DoesNotContain("no training series were given", html, StringComparison.Ordinal);
        Assert.True(html.Contains("<div class=\"card\" id=\"counterfactual-", StringComparison.Ordinal) || html.Contains("None needed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_Explain_Files_Given_With_Data_Instead()
    {
        using var temp = new TempFolder();
        var page = temp.Combine("train-set.html");

        var (code, output, error) = await CliRunner.RunAsync(["report", run.RunFolder, "--data", TestData.GunPointTrainArff, "--out", page], run.Cache);

        Assert.True(code == ExitCodes.Success, error);
        Assert.Equal($"run {run.RunFolder}: GunPoint, 2 epochs; explaining GunPoint_TRAIN.arff (50 series, given with --data)", CliRunner.Lines(output)[0]);
        Assert.Contains("The validation series explained here: GunPoint_TRAIN.arff (50 series, given with --data).", File.ReadAllText(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Say_In_One_Line_Which_File_Of_A_Run_Folder_Is_Missing()
    {
        using var temp = new TempFolder();
        var absent = temp.Combine("absent");
        var empty = temp.Combine("empty");
        Directory.CreateDirectory(empty);
        var noModel = CopyRun(temp, _ => { }, "no-model", withModel: false);
        var noTest = CopyRun(temp, json => json["dataset"]!["test_file"] = temp.Combine("gone", "GunPoint_TEST.arff"), "no-test");
        var broken = temp.Combine("broken");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "metrics.json"), "{ \"epochs\": [");

        (string Folder, string Expected)[] cases =
        [
            (absent, $"error: {absent}: no such run folder; give the folder 'chronoscope train' wrote (--out, or ./chronoscope-runs/<dataset>-<time>)."),
            (empty, $"error: {Path.Combine(empty, "metrics.json")}: no such file; a training run writes it into its run folder."),
            (noModel, $"error: {Path.Combine(noModel, "model.chronoscope")}: no such file; the run folder has metrics.json but not the model it describes (copy it back, or train again)."),
            (noTest, $"error: {temp.Combine("gone", "GunPoint_TEST.arff")}: no such file; {Path.Combine(noTest, "metrics.json")} names it as the run's test file. Give the validation data with --data FILE."),
            (broken, $"error: {Path.Combine(broken, "metrics.json")}(1): not a run record: "),
        ];
        foreach (var (folder, expected) in cases)
        {
            var (code, _, error) = await CliRunner.RunAsync(["report", folder], run.Cache);
            Assert.Equal(ExitCodes.Failure, code);
            var line = Assert.Single(CliRunner.Lines(error));
            Assert.StartsWith(expected, line, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "report.html")), folder);
        }
    }

    [Fact]
    public async Task Should_Leave_Out_The_Report_With_No_Report()
    {
        // Given a one-epoch run of a small network, told not to write the report
        using var temp = new TempFolder();
        var folder = temp.Combine("run");

        var (code, output, error) = await CliRunner.RunAsync(["train", "GunPoint", "--epochs", "1", "--depth", "1", "--filters", "16", "--no-report", "--out", folder], run.Cache);

        Assert.True(code == ExitCodes.Success, error);
        Assert.False(File.Exists(Path.Combine(folder, "report.html")));
        Assert.True(File.Exists(Path.Combine(folder, "metrics.json")));
        Assert.DoesNotContain("report.html", CliRunner.Lines(output)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Say_And_Record_The_Precision_Auto_Chose()
    {
        // Given a tiny network trained with --precision auto
        using var temp = new TempFolder();
        var folder = temp.Combine("run");
        var (code, output, error) = await CliRunner.RunAsync(["train", "GunPoint", "--epochs", "1", "--depth", "1", "--filters", "16", "--precision", "auto", "--out", folder], run.Cache);
        Assert.True(code == ExitCodes.Success, error);

        // Then the header line says what auto chose and why, and metrics.json and the report record the same: bf16
        // exactly where the CPU computes bfloat16 natively
        var chosen = TorchRuntime.NativeBFloat16 ? "bf16" : "fp32";
        Assert.Contains($", {chosen} (auto: ", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        Assert.Equal(chosen, json.RootElement.GetProperty("settings").GetProperty("precision").GetString());
        Assert.Contains($"<th scope=\"row\">Precision</th><td>{chosen}", File.ReadAllText(Path.Combine(folder, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Record_Each_Setting_By_The_Name_The_Command_Line_Gives_It()
    {
        // Given every choice of train's options, as the command line parses them
        var train = new ChronoscopeCli(new CliContext(CapturedConsole.Redirected().Console, CapturedConsole.Redirected().Console)).Root.Subcommands.Single(c => c.Name == "train");
        var names = new Dictionary<string, IReadOnlyList<(string Name, string Recorded)>>
        {
            ["--optimizer"] = Choices<OptimizerKind>(train, "--optimizer", v => SettingNames.Of(v)),
            ["--normalize"] = Choices<Normalization?>(train, "--normalize", v => v is { } n ? SettingNames.Of(n) : "auto"),
            ["--variable-lengths"] = Choices<VariableLengths?>(train, "--variable-lengths", v => v is { } l ? SettingNames.Of(l) : "auto"),
            ["--loss"] = Choices<LossKind>(train, "--loss", v => SettingNames.Of(v)),
            ["--bn-calibration"] = Choices<BatchNormCalibration>(train, "--bn-calibration", v => SettingNames.Of(v)),
            ["--variant"] = Choices<InceptionTimeVariant>(train, "--variant", v => SettingNames.Of(v)),
            ["--precision"] = Choices<TrainingPrecision>(train, "--precision", v => SettingNames.Of(v)),
        };

        // Then metrics.json writes each value as the command line spells it
        Assert.All(names, option =>
        {
            Assert.True(option.Value.Count >= 2, option.Key);
            Assert.All(option.Value, choice => Assert.Equal(choice.Name, choice.Recorded));
        });
    }

    /// <summary>(name on the command line, name in the run record) of every choice of a Choice option.</summary>
    private static List<(string Name, string Recorded)> Choices<T>(Command command, string option, Func<T, string> recorded)
    {
        var symbol = (Option<Choice<T>>)command.Options.Single(o => o.Name == option);
        return [.. symbol.HelpName!.Split('|').Select(name =>
        {
            var value = command.Parse(["GunPoint", option, name]).GetRequiredValue(symbol).Value;
            return (name, recorded(value));
        })];
    }

    /// <summary>A copy of the run folder's metrics.json (edited) and, unless told otherwise, its model.</summary>
    private string CopyRun(TempFolder temp, Action<JsonNode> edit, string name = "run", bool withModel = true)
    {
        var folder = temp.Combine(name);
        Directory.CreateDirectory(folder);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "metrics.json")))!;
        edit(json);
        File.WriteAllText(Path.Combine(folder, "metrics.json"), json.ToJsonString());
        if (withModel)
            File.Copy(run.ModelPath, Path.Combine(folder, "model.chronoscope"));
        return folder;
    }
}
