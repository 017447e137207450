using System.Diagnostics;
using Chronoscope.Cli;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>
/// What stands at a path is respected: outputs never replace a device, a pipe or a link, never overwrite the command's
/// own inputs; inputs that are not regular files are refused; every such answer is one line in the house form.
/// </summary>
public sealed class FileSafetyTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _model;
    private readonly string _data;

    public FileSafetyTests()
    {
        _model = _folder.Combine("model.chronoscope");
        using (var classifier = SmallModels.GunPoint())
            classifier.Save(_model);
        _data = _folder.Combine("data.arff");
        File.Copy(TestData.GunPointTestArff, _data);
    }

    public void Dispose() => _folder.Dispose();

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args, _folder.Combine("cache"));

    [Fact]
    public async Task Should_Refuse_To_Overwrite_The_Commands_Own_Inputs_However_They_Are_Named()
    {
        // Given a second name (a symbolic link) and a hard link for the data file, and the run folder's own files
        var link = _folder.Combine("link.arff");
        File.CreateSymbolicLink(link, _data);
        var hard = _folder.Combine("hard.arff");
        Run("ln", _data, hard);
        var before = File.ReadAllBytes(_data);
        var modelBefore = File.ReadAllBytes(_model);

        (string[] Args, string Option)[] cases =
        [
            (["predict", "--model", _model, _data, "--out", _data], "--out"),
            (["predict", "--model", _model, _data, "--out", link], "--out"),
            (["predict", "--model", _model, _data, "--out", hard], "--out"),
            (["predict", "--model", _model, _data, "--out", _model], "--out"),
            (["evaluate", "--model", _model, _data, "--json", _model], "--json"),
            (["evaluate", "--model", _model, link, "--json", hard], "--json"),
        ];
        foreach (var (args, option) in cases)
        {
            var (code, output, error) = await RunAsync(args);

            Assert.True(code == ExitCodes.Usage, $"{string.Join(' ', args)}: {code} {error}");
            Assert.StartsWith($"error: {option} ", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
            Assert.Contains("an input of this command", error, StringComparison.Ordinal);
            Assert.Equal("", output);
        }
        Assert.Equal(before, File.ReadAllBytes(_data));
        Assert.Equal(modelBefore, File.ReadAllBytes(_model));
    }

    [Fact]
    public async Task Should_Refuse_Outputs_That_Are_Inputs_In_Every_Command_That_Writes_Files()
    {
        // Given the model also named x.json, exported weights w.pt with their w.json, and the data as .csv files named as
        // the outputs of faithfulness, counterfactual and lr-find in their folders
        var json = _folder.Combine("x.json");
        File.Copy(_model, json);
        var weights = _folder.Combine("w.pt");
        using (var classifier = SmallModels.GunPoint())
            Chronoscope.Inference.Interop.PyTorchModels.Export(classifier, weights);
        var csv = File.ReadAllText(TestData.File("GunPoint", "GunPoint_TEST.tsv")).Replace('\t', ',');
        string DataIn(string folder, string name)
        {
            Directory.CreateDirectory(_folder.Combine(folder));
            return _folder.Write(Path.Combine(folder, name), csv);
        }
        var faithfulness = DataIn("f", "faithfulness.csv");
        var counterfactuals = DataIn("c", "counterfactuals.csv");
        var lrFind = DataIn("l", "lr-find.csv");
        var inputs = new[] { _model, json, weights, faithfulness, counterfactuals, lrFind }.ToDictionary(p => p, File.ReadAllBytes);

        (string[] Args, string Option)[] cases =
        [
            (["export", "--model", _model, "--out", _model], "--out"),
            (["export", "--model", json, "--to", "pytorch", "--out", _folder.Combine("x.pt")], "--out's JSON"),
            (["import", weights, "--channels", "1", "--classes", "2", "--length", "150", "--out", weights], "--out"),
            (["import", weights, "--channels", "1", "--classes", "2", "--length", "150", "--out", _folder.Combine("w.json")], "--out"),
            (["faithfulness", "-m", _model, "-d", faithfulness, "--methods", "cam", "--items", "0", "-o", _folder.Combine("f")], "--out"),
            (["counterfactual", "-m", _model, "-d", counterfactuals, "--train", _data, "--items", "0", "-o", _folder.Combine("c")], "--out"),
            (["lr-find", "--train", _data, "--test", lrFind, "--iterations", "3", "--out", _folder.Combine("l")], "--out"),
        ];
        foreach (var (args, option) in cases)
        {
            // When each command is asked to write over one of its inputs
            var (code, output, error) = await RunAsync(args);

            // Then it is a usage error naming the option, before any work
            Assert.True(code == ExitCodes.Usage, $"{string.Join(' ', args)}: {code} {error}");
            Assert.StartsWith($"error: {option} ", Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
            Assert.Contains("an input of this command", error, StringComparison.Ordinal);
        }
        // and every input is as it was
        foreach (var (path, bytes) in inputs)
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(path)), $"{path} changed");
    }

    [Fact]
    public async Task Should_Follow_A_Symbolic_Link_And_Replace_Its_Target_Not_The_Link()
    {
        var target = _folder.Combine("target.csv");
        var link = _folder.Combine("link.csv");
        File.CreateSymbolicLink(link, target);

        var (code, _, error) = await RunAsync("predict", "--model", _model, _data, "--out", link);

        Assert.True(code == ExitCodes.Success, error);
        Assert.Equal(target, new FileInfo(link).LinkTarget);     // the link is still a link
        Assert.Equal(151, File.ReadAllLines(target).Length);   // its target holds the header and 150 rows
        Assert.DoesNotContain(_folder.Entries(), e => e.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_Write_Straight_Into_A_Named_Pipe_And_A_Character_Device_Without_Replacing_Them()
    {
        // Given a named pipe with a reader on the other end
        var fifo = _folder.Combine("out.csv");
        Run("mkfifo", fifo);
        var reader = Task.Run(() => File.ReadAllText(fifo));

        var (code, _, error) = await RunAsync("predict", "--model", _model, _data, "--out", fifo);
        var (nullCode, _, nullError) = await RunAsync("evaluate", "--model", _model, _data, "--json", "/dev/null");

        Assert.True(code == ExitCodes.Success, error);
        Assert.Equal(151, (await reader).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.True(nullCode == ExitCodes.Success, nullError);
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
    }

    [Fact]
    public async Task Should_Write_To_Standard_Output_For_A_Dash()
    {
        var (code, output, error) = await RunAsync("predict", "--model", _model, _data, "--out", "-");

        Assert.True(code == ExitCodes.Success, error);
        var lines = CliRunner.Lines(output);
        Assert.Equal(151, lines.Length); // the CSV alone: the summary went to standard error
        Assert.StartsWith("file,index,label,predicted,confidence", lines[0], StringComparison.Ordinal);
        Assert.False(File.Exists("-"));
    }

    [Fact]
    public async Task Should_Refuse_Inputs_That_Are_Not_Regular_Files_In_One_Line()
    {
        var fifo = _folder.Combine("pipe.arff");
        Run("mkfifo", fifo);
        var loop = _folder.Combine("loop.arff");
        File.CreateSymbolicLink(loop, loop);
        var folder = Directory.CreateDirectory(_folder.Combine("folder.arff")).FullName;

        (string[] Args, string Expected)[] cases =
        [
            (["predict", "--model", _model, fifo], $"error: {fifo}: expected a dataset file, found a named pipe (FIFO)."),
            (["predict", "--model", _model, loop], $"error: {loop}: expected a dataset file, found a loop of symbolic links."),
            (["predict", "--model", _model, folder], $"error: {folder}: expected a dataset file, found a folder"),
            (["predict", "--model", "/dev/zero", _data], "error: /dev/zero: expected a model file, found a character device."),
            (["predict", "--model", _folder.Path, _data], $"error: {_folder.Path}: expected a model file, found a folder"),
            (["predict", "--model", fifo, _data], $"error: {fifo}: expected a model file, found a named pipe (FIFO)."),
            (["datasets", "info", fifo], $"error: {fifo}: expected a dataset file, found a named pipe (FIFO)."),
        ];
        foreach (var (args, expected) in cases)
        {
            var (code, _, error) = await RunAsync(args);

            Assert.True(code == ExitCodes.Failure, $"{string.Join(' ', args)}: {code} {error}");
            Assert.StartsWith(expected, Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_Say_What_Is_Wrong_With_An_Output_Path_In_The_House_Form()
    {
        var file = _folder.Write("plain.txt", "x");
        var loop = _folder.Combine("loop.csv");
        File.CreateSymbolicLink(loop, loop);

        (string[] Args, string Expected)[] cases =
        [
            (["predict", "--model", _model, _data, "--out", _folder.Path], $"error: {_folder.Path}: expected a file to write, found a folder; give a file name."),
            (["predict", "--model", _model, _data, "--out", Path.Combine(file, "x.csv")], $"error: {Path.Combine(file, "x.csv")}: expected {file} to be a folder, found a file."),
            (["predict", "--model", _model, _data, "--out", loop], $"error: {loop}: expected a file to write, found a loop of symbolic links; give a file name."),
            (["evaluate", "--model", _model, _data, "--json", "/dev/sda"], "error: /dev/sda: expected a file to write, found a block device"),
            (["train", "GunPoint", "--out", file], $"error: {file}: expected a folder to write the run into (--out), found a file."),
        ];
        foreach (var (args, expected) in cases)
        {
            if (args.Contains("/dev/sda") && FileKinds.Of("/dev/sda") != FileKind.BlockDevice)
                continue; // no such disk on this machine
            var (code, _, error) = await RunAsync(args);

            Assert.True(code == ExitCodes.Failure, $"{string.Join(' ', args)}: {code} {error}");
            Assert.StartsWith(expected, Assert.Single(CliRunner.Lines(error)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Should_Name_A_Dataset_Cache_Path_That_Is_A_File()
    {
        var file = _folder.Write("cache-file", "x");

        var (code, _, error) = await CliRunner.RunAsync(["datasets", "list", "--cached"], file);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal($"error: {file}: expected the dataset cache folder (set by CHRONOSCOPE_DATA), found a file; point CHRONOSCOPE_DATA at a folder.", Assert.Single(CliRunner.Lines(error)));
    }

    [Fact]
    public void Should_Remove_Temporary_Files_A_Killed_Run_Left_But_Not_Newer_Ones()
    {
        // Given a temporary file of ours from before this process started, one from now, and a file of someone else's
        var stale = _folder.Write($".epochs.csv.{Guid.NewGuid():N}.tmp", "half");
        File.SetLastWriteTimeUtc(stale, Process.GetCurrentProcess().StartTime.ToUniversalTime().AddMinutes(-1));
        var fresh = _folder.Write($".loss.png.{Guid.NewGuid():N}.tmp", "being written");
        var other = _folder.Write(".notes.tmp", "someone else's");
        File.SetLastWriteTimeUtc(other, DateTime.UtcNow.AddDays(-1));

        AtomicFile.WriteAllText(_folder.Combine("epochs.csv"), "epoch\n");

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(other));
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        process.WaitForExit();
        Assert.Equal(ExitCodes.Success, process.ExitCode);
    }
}
