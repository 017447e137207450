using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Chronoscope.Cli;
using Chronoscope.Data.Archive;
using Chronoscope.Data.Formats;
using Chronoscope.Inference;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>
/// <c>train --ensemble 2 --parallel</c>: each network in a process of its own (the CLI's assembly beside the tests, run
/// by dotnet), compared with the sequential run of <see cref="TrainedEnsemble"/> (one thread, as each child has here).
/// Every wait is bounded: the command runs under a token that cancels it, which kills its children.
/// </summary>
public sealed class ParallelEnsembleTests(TrainedEnsemble sequential) : IClassFixture<TrainedEnsemble>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Should_Train_The_Same_Networks_As_The_Sequential_Path_And_Write_The_Same_Outputs()
    {
        // Given the sequential run (--threads 1), when the same ensemble is trained in parallel with 2 threads (1 per network)
        Assert.True(sequential.Code == 0, sequential.Error);
        var folder = _folder.Combine("parallel");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var (code, output, error) = await CliRunner.RunAsync(
            ["train", "GunPoint", "--ensemble", "2", "--parallel", "--epochs", "2", "--depth", "1", "--filters", "16", "--threads", "2", "--no-report", "--out", folder],
            _folder.Combine("cache"), timeout.Token);
        Assert.True(code == ExitCodes.Success, $"{error}\n{output}");

        // Then the output says which network each training line belongs to
        var lines = CliRunner.Lines(output);
        Assert.Contains("training 2 networks in parallel processes: 2 at once, 1 thread each", lines);
        Assert.Contains("network 1 of 2 (seed 42): started", lines);
        Assert.Contains("network 2 of 2 (seed 43): started", lines);
        foreach (var member in new[] { 1, 2 })
        {
            Assert.Contains(lines, l => l.StartsWith($"network {member}: epoch", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith($"network {member}: 1 ", StringComparison.Ordinal)); // the second epoch's row
        }

        // and each network predicts as the sequential path's network of the same seed, to 1e-6
        using var parallel = TimeSeriesClassifier.Load(Path.Combine(folder, "model.chronoscope"));
        using var reference = TimeSeriesClassifier.Load(Path.Combine(sequential.RunFolder, "model.chronoscope"));
        Assert.Equal(2, parallel.Members.Count);
        var test = DatasetReader.Read(TestData.GunPointTestArff);
        for (var i = 0; i < 2; i++)
        {
            using var mine = parallel.Member(i);
            using var theirs = reference.Member(i);
            var expected = theirs.Predict(test).Probabilities.ToArray();
            var actual = mine.Predict(test).Probabilities.ToArray();
            Assert.Equal(expected.Length, actual.Length);
            Assert.All(expected.Zip(actual), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1e-6));
        }

        // and the run folder holds the same files, metrics.json the same ensemble part and final metrics
        Assert.Equal(Directory.GetFiles(sequential.RunFolder).Select(Path.GetFileName).Order(), Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        using var mineJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        using var theirsJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(sequential.RunFolder, "metrics.json")));
        var (ours, seq) = (mineJson.RootElement, theirsJson.RootElement);
        Assert.Equal(seq.GetProperty("ensemble").GetRawText(), ours.GetProperty("ensemble").GetRawText());
        Assert.Equal(seq.GetProperty("final").GetProperty("metrics").GetRawText(), ours.GetProperty("final").GetProperty("metrics").GetRawText());
        Assert.Equal(seq.GetProperty("confusion_matrix").GetRawText(), ours.GetProperty("confusion_matrix").GetRawText());
        Assert.Equal(seq.GetProperty("model").GetProperty("parameters").GetInt64(), ours.GetProperty("model").GetProperty("parameters").GetInt64());
        Assert.Equal(seq.GetProperty("epochs").GetArrayLength(), ours.GetProperty("epochs").GetArrayLength());
        Assert.Equal(2, ours.GetProperty("settings").GetProperty("threads").GetInt32());
        Assert.Contains("--parallel", ours.GetProperty("command_line").GetString(), StringComparison.Ordinal);
        var accuracy = parallel.Predict(test).Accuracy!.Value;
        Assert.Equal(accuracy, ours.GetProperty("final").GetProperty("metrics").GetProperty("accuracy").GetDouble(), 1e-9);

        // and epochs.csv has the member column and every network's rows, with the sequential path's losses and accuracies
        static string[][] Rows(string runFolder) => [.. File.ReadAllLines(Path.Combine(runFolder, "epochs.csv")).Select(l => l.Split(',')[..^1])]; // less the seconds
        Assert.Equal(Rows(sequential.RunFolder), Rows(folder));
        Assert.Equal("member,epoch,train_loss,valid_loss,accuracy,seconds", File.ReadLines(Path.Combine(folder, "epochs.csv")).First());
    }

    [Fact]
    public async Task Should_Run_Fewer_Networks_At_Once_With_More_Threads_Each_Where_The_Memory_Holds_Fewer()
    {
        // Given a machine (assumed) with 400 MB available, room for one small network's process (256 MiB + its steps)
        // but not two, and a stand-in for the program that records its arguments and fails
        var arguments = _folder.Combine("arguments");
        var script = $"echo \"$*\" >> '{arguments}'; echo 'error: stand-in' >&2; exit 1";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        using var machine = MachineMemory.Assume(new MachineMemory(64L << 30, 400_000_000, "MemTotal"));

        // When an ensemble of 2 is trained in parallel on 2 threads
        var (_, output, error) = await RunAsync(["sh", "-c", script, "sh"], timeout.Token,
            "train", "GunPoint", "--ensemble", "2", "--parallel", "--epochs", "1", "--depth", "1", "--filters", "16", "--threads", "2", "--no-report", "--out", _folder.Combine("run"));

        // Then one network runs at a time with both threads, and the user is told why
        Assert.Contains("training 2 networks in parallel processes: 1 at once, 2 threads each", CliRunner.Lines(output));
        Assert.Contains(CliRunner.Lines(error), l => l.StartsWith("note: 1 at once instead of 2: each network's process needs about ", StringComparison.Ordinal) && l.EndsWith(", and 400 MB of memory is available now.", StringComparison.Ordinal));
        Assert.Contains("--threads 2", File.ReadAllLines(arguments).First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Fail_With_The_Failing_Networks_Message_And_Stop_The_Others()
    {
        // Given a stand-in for the program: network 2's process fails at once with a message, network 1's would run a minute
        var pids = _folder.Combine("pids");
        var script = $"echo $$ >> '{pids}'; case \"$*\" in *'--ensemble-member 1'*) echo 'error: the disk is full' >&2; exit 1;; *) exec sleep 60;; esac";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(50));

        // When the ensemble is trained in parallel
        var (code, output, error) = await RunAsync(["sh", "-c", script, "sh"], timeout.Token,
            "train", "GunPoint", "--ensemble", "2", "--parallel", "--epochs", "1", "--depth", "1", "--filters", "16", "--threads", "2", "--no-report", "--out", _folder.Combine("run"));

        // Then the command fails with network 2's message before the timeout, writes nothing, and network 1's process is gone
        Assert.True(code == ExitCodes.Failure, $"exit {code}: {error}\n{output}");
        Assert.False(timeout.IsCancellationRequested);
        Assert.Equal("error: network 2 of 2 (seed 43) failed (exit code 1): the disk is full; no model written.", CliRunner.Lines(error).Single());
        Assert.False(Directory.Exists(_folder.Combine("run")));
        AssertEnded(pids, atLeast: 1); // network 1's shell may have been killed before it wrote its id
    }

    [Fact]
    public async Task Should_Kill_The_Networks_Processes_When_Cancelled()
    {
        // Given a stand-in whose processes would each run a minute
        var pids = _folder.Combine("pids");
        var script = $"echo $$ >> '{pids}'; exec sleep 60";
        using var cancellation = new CancellationTokenSource();
        var run = RunAsync(["sh", "-c", script, "sh"], cancellation.Token,
            "train", "GunPoint", "--ensemble", "3", "--parallel", "--epochs", "1", "--depth", "1", "--filters", "16", "--threads", "2", "--no-report", "--out", _folder.Combine("run"));

        // When the command is cancelled (Ctrl+C) once two of them have started
        using (var started = new CancellationTokenSource(TimeSpan.FromSeconds(50)))
        {
            while (!(File.Exists(pids) && File.ReadAllLines(pids).Length >= 2) && !run.IsCompleted)
                await Task.Delay(50, started.Token);
        }
        await cancellation.CancelAsync();
        var (code, _, error) = await run.WaitAsync(TimeSpan.FromSeconds(50));

        // Then it says so, exits as cancelled, the third never started and the two are gone
        Assert.True(code == ExitCodes.Cancelled, $"exit {code}: {error}");
        Assert.Contains("cancelled: the networks' processes were stopped; no model or pictures written.", CliRunner.Lines(error));
        AssertEnded(pids, atLeast: 2);
    }

    /// <summary>Runs a command line in-process with <paramref name="self"/> standing in for the program its children run.</summary>
    private async Task<(int Code, string Output, string Error)> RunAsync(string[] self, CancellationToken cancellationToken, params string[] args)
    {
        var output = CapturedConsole.Redirected();
        var error = CapturedConsole.Redirected();
        var options = new DatasetSourceOptions { CacheFolder = _folder.Combine("cache"), DownloadUrls = [$"http://127.0.0.1:{LoopbackServer.UnusedPort()}/{{0}}.zip"] };
        var context = new CliContext(output.Console, error.Console, options) { SelfCommand = self };
        var code = await new ChronoscopeCli(context).RunAsync(args, cancellationToken);
        return (code, output.Text, error.Text);
    }

    /// <summary>The processes whose ids the stand-in wrote to <paramref name="pids"/>: at least <paramref name="atLeast"/>, at most 2 (two at once), none still running.</summary>
    private static void AssertEnded(string pids, int atLeast)
    {
        var ids = File.ReadAllLines(pids).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList();
        Assert.InRange(ids.Count, atLeast, 2);
        foreach (var id in ids)
        {
            try
            {
                using var process = Process.GetProcessById(id);
                Assert.True(process.HasExited || process.WaitForExit(TimeSpan.FromSeconds(10)), $"process {id} still runs");
            }
            catch (ArgumentException)
            {
                // gone
            }
        }
    }
}
