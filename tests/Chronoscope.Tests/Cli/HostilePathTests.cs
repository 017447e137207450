using System.CommandLine;
using System.Diagnostics;
using Chronoscope.Cli;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>What the hostile-path tests need once: a small saved model, data files, a run folder and exported weights.</summary>
public sealed class HostilePathInputs : IDisposable
{
    private readonly TempFolder _folder = new();

    public HostilePathInputs()
    {
        Model = _folder.Combine("model.chronoscope");
        using (var classifier = SmallModels.GunPoint())
            classifier.Save(Model);
        Data = _folder.Write("GunPoint_TEST.arff", File.ReadAllBytes(TestData.GunPointTestArff));
        Train = _folder.Write("GunPoint_TRAIN.arff", File.ReadAllBytes(TestData.GunPointTrainArff));
        Cache = _folder.Combine("cache");
        Run = _folder.Combine("run");
        Weights = _folder.Combine("weights.pt");
        var (trained, _, trainError) = CliRunner.RunAsync(["train", "--train", Train, "--test", Data, "--epochs", "1", "--depth", "1", "--filters", "16", "--no-report", "--out", Run], Cache).GetAwaiter().GetResult();
        var (exported, _, exportError) = CliRunner.RunAsync(["export", "--model", Model, "--to", "pytorch", "--out", Weights], Cache).GetAwaiter().GetResult();
        if (trained != 0 || exported != 0)
            throw new InvalidOperationException($"the hostile-path inputs could not be made: {trainError} {exportError}");
    }

    public string Model { get; }

    public string Data { get; }

    public string Train { get; }

    public string Cache { get; }

    public string Run { get; }

    public string Weights { get; }

    public void Dispose() => _folder.Dispose();
}

/// <summary>
/// Every path a command takes, input or output, found by walking the command tree, given a named pipe, a folder, a loop
/// of symbolic links and a device: each run ends (within a timeout, never a hang) with exit 1 or 2 and one line on
/// standard error without a stack trace, and leaves no file under a final name. An output file may also be written
/// straight into a device or a pipe (exit 0), as the command line's promise on outputs says.
/// </summary>
public sealed class HostilePathTests(HostilePathInputs inputs) : IClassFixture<HostilePathInputs>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>What a path is to the command: read, written as a file, or a folder written into.</summary>
    public enum Slot
    {
        Input,
        OutputFile,
        OutputFolder,
    }

    /// <summary>
    /// A valid command line per path of every command, with <c>{}</c> where the hostile path goes; <c>{M}</c> the model,
    /// <c>{D}</c> the test data, <c>{T}</c> the training data, <c>{R}</c> a run folder, <c>{W}</c> exported weights,
    /// <c>{O}</c> a fresh output file and <c>{F}</c> a fresh output folder.
    /// </summary>
    public static TheoryData<string, Slot> Cases() => new()
    {
        { "predict --model {} {D} --out {O}", Slot.Input },
        { "predict --model {M} {} --out {O}", Slot.Input },
        { "predict --model {M} {D} --out {}", Slot.OutputFile },
        { "evaluate --model {} {D}", Slot.Input },
        { "evaluate --model {M} {}", Slot.Input },
        { "evaluate --model {M} {D} --json {}", Slot.OutputFile },
        { "cam --model {} --data {D} --items 0 --out {F}", Slot.Input },
        { "cam --model {M} --data {} --items 0 --out {F}", Slot.Input },
        { "cam --model {M} --data {D} --items 0 --method ig --baseline training-mean --train {} --out {F}", Slot.Input },
        { "cam --model {M} --data {D} --items 0 --out {}", Slot.OutputFolder },
        { "faithfulness --model {} --data {D} --methods gradcam --items 0 --steps 2 --out {F}", Slot.Input },
        { "faithfulness --model {M} --data {} --methods gradcam --items 0 --steps 2 --out {F}", Slot.Input },
        { "faithfulness --model {M} --data {D} --methods gradcam --items 0 --steps 2 --mask {} --out {F}", Slot.Input },
        { "faithfulness --model {M} --data {D} --methods gradcam --items 0 --steps 2 --train {} --out {F}", Slot.Input },
        { "faithfulness --model {M} --data {D} --methods gradcam --items 0 --steps 2 --out {}", Slot.OutputFolder },
        { "counterfactual --model {} --train {T} --data {D} --items 0 --out {F}", Slot.Input },
        { "counterfactual --model {M} --train {} --data {D} --items 0 --out {F}", Slot.Input },
        { "counterfactual --model {M} --train {T} --data {} --items 0 --out {F}", Slot.Input },
        { "counterfactual --model {M} --train {T} --data {D} --items 0 --out {}", Slot.OutputFolder },
        { "report {} --out {O}", Slot.Input },
        { "report {R} --data {} --out {O}", Slot.Input },
        { "report {R} --data {D} --gallery 1 --out {}", Slot.OutputFile },
        { "train --train {} --test {D} --epochs 1 --depth 1 --filters 16 --no-report --out {F}", Slot.Input },
        { "train --train {T} --test {} --epochs 1 --depth 1 --filters 16 --no-report --out {F}", Slot.Input },
        { "train --train {T} --test {D} --epochs 1 --depth 1 --filters 16 --no-report --out {}", Slot.OutputFolder },
        { "lr-find --train {} --test {D} --iterations 2 --depth 1 --filters 16 --out {F}", Slot.Input },
        { "lr-find --train {T} --test {} --iterations 2 --depth 1 --filters 16 --out {F}", Slot.Input },
        { "lr-find --train {T} --test {D} --iterations 2 --depth 1 --filters 16 --out {}", Slot.OutputFolder },
        { "tutorial --epochs 1 --out {}", Slot.OutputFolder },
        { "datasets info {}", Slot.Input },
        { "datasets synth --train 4 --test 4 --length 20 --pattern-length 5 --out {}", Slot.OutputFolder },
        { "model summary --model {}", Slot.Input },
        { "import {} --channels 1 --classes 2 --length 150 --out {O}", Slot.Input },
        { "import {W} --metadata {} --channels 1 --classes 2 --length 150 --out {O}", Slot.Input },
        { "import {W} --channels 1 --classes 2 --length 150 --out {}", Slot.OutputFile },
        { "export --model {} --to onnx --out {O}", Slot.Input },
        { "export --model {M} --to onnx --out {}", Slot.OutputFile },
    };

    [Fact]
    public void Should_Cover_Every_Path_Option_And_Argument_Of_Every_Command()
    {
        // Given every option that names a file or folder, and every argument that takes paths, of every command
        var root = new ChronoscopeCli(new CliContext(CapturedConsole.Redirected().Console, CapturedConsole.Redirected().Console)).Root;
        var templates = Cases().Select(row => (string)row[0]).ToList();
        var missing = new List<string>();
        Walk(root, "");

        // Then each has a case that puts a hostile path there
        Assert.True(missing.Count == 0, "no hostile-path case for: " + string.Join(", ", missing));

        void Walk(Command command, string path)
        {
            foreach (var option in command.Options.Where(o => o.HelpName is "file" or "folder"))
            {
                if (!templates.Any(t => t.StartsWith(path + " ", StringComparison.Ordinal) && t.Contains($" {option.Name} {{}}", StringComparison.Ordinal)))
                    missing.Add($"{path} {option.Name}");
            }
            foreach (var argument in command.Arguments.Where(a => a.Name is "files" or "file" or "run-folder" or "name-or-files"))
            {
                if (!templates.Any(t => t.StartsWith(path + " ", StringComparison.Ordinal) && HoleIsAnArgument(t)))
                    missing.Add($"{path} <{argument.Name}>");
            }
            foreach (var subcommand in command.Subcommands)
                Walk(subcommand, path.Length == 0 ? subcommand.Name : $"{path} {subcommand.Name}");
        }

        // The hole is an argument's when the word before it is not an option's name.
        static bool HoleIsAnArgument(string template)
        {
            var words = template.Split(' ');
            var hole = Array.IndexOf(words, "{}");
            return hole > 0 && !words[hole - 1].StartsWith("--", StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Should_End_In_One_Line_Without_A_Trace_Or_A_Half_Written_File_For_Every_Hostile_Path(string template, Slot slot)
    {
        var fifoPath = _folder.Combine("pipe");
        Run("mkfifo", fifoPath);
        var loop = _folder.Combine("loop");
        File.CreateSymbolicLink(loop, loop);
        var plainFile = _folder.Write("plain", "x");
        var folder = Directory.CreateDirectory(_folder.Combine("folder")).FullName;
        // A folder is what an output folder should be, so there a plain file stands in for it.
        string[] hostile = slot == Slot.OutputFolder ? [fifoPath, loop, plainFile, "/dev/zero", "/dev/null"] : [fifoPath, loop, folder, "/dev/zero", "/dev/null"];

        var n = 0;
        foreach (var path in hostile)
        {
            var work = Directory.CreateDirectory(_folder.Combine($"work{n++}")).FullName;
            var args = template.Split(' ').Select(word => word switch
            {
                "{}" => path,
                "{M}" => inputs.Model,
                "{D}" => inputs.Data,
                "{T}" => inputs.Train,
                "{R}" => inputs.Run,
                "{W}" => inputs.Weights,
                "{O}" => Path.Combine(work, "out.file"),
                "{F}" => Path.Combine(work, "out"),
                _ => word,
            }).ToArray();
            var label = $"{template} with {path}";

            // An output written straight into a pipe needs a reader. It is another process, killed after the run when
            // the command refused the pipe: a reader in this process could only be released by opening the pipe for
            // writing, which blocks for ever when the reader has just finished.
            using var reader = slot == Slot.OutputFile && path == fifoPath
                ? Process.Start("dd", [$"if={fifoPath}", "of=/dev/null", "status=none"])
                : null;
            var run = CliRunner.RunAsync(args, inputs.Cache);
            var finished = await Task.WhenAny(run, Task.Delay(Timeout));
            if (reader is not null)
            {
                try
                {
                    reader.Kill();
                }
                catch (InvalidOperationException)
                {
                    // it had read the whole output and ended
                }
                await reader.WaitForExitAsync();
            }
            Assert.True(finished == run, $"{label}: still running after {Timeout.TotalSeconds} s");
            var (code, _, error) = await run;

            var written = slot == Slot.OutputFile && (path == fifoPath || path.StartsWith("/dev/", StringComparison.Ordinal));
            Assert.True(code is 1 or 2 || (written && code == 0), $"{label}: exit {code}: {error}");
            if (code != 0)
                Assert.True(CliRunner.Lines(error).Length == 1, $"{label}: expected one line on standard error, found: {error}");
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
            if (code != 0)
                Assert.Empty(Directory.EnumerateFiles(work, "*", SearchOption.AllDirectories));
            Assert.Equal(FileKind.Fifo, FileKinds.Of(fifoPath));
            Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
            Assert.Equal("x", File.ReadAllText(plainFile));
        }
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
