using System.Diagnostics;
using Chronoscope.Cli;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

/// <summary>
/// The real process (the CLI's own executable, beside the tests) interrupted during training: one signal stops it
/// cleanly, a second at once; the exit code says which signal (130 for SIGINT, 143 for SIGTERM); no temporary file stays.
/// </summary>
public sealed class TerminationSignalTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(new[] { "INT" }, ExitCodes.Cancelled)]
    [InlineData(new[] { "TERM" }, ExitCodes.Terminated)]
    [InlineData(new[] { "INT", "INT" }, ExitCodes.Cancelled)]
    [InlineData(new[] { "INT", "TERM" }, ExitCodes.Cancelled)]
    public async Task Should_Exit_With_The_Signals_Code_And_Leave_No_Temporary_File(string[] signals, int expected)
    {
        var run = _folder.Combine("run");
        var command = await HearingSigIntAsync(["dotnet", Path.Combine(AppContext.BaseDirectory, "Chronoscope.Cli.dll"),
            "train", "GunPoint", "--epochs", "1000", "--depth", "1", "--filters", "4", "--no-report", "--out", run]);
        var start = new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CHRONOSCOPE_DATA"] = _folder.Combine("cache");
        using var process = Process.Start(start)!;
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // the first signal acknowledged
        var error = ReadErrorAsync(process, heard);
        try
        {
            // When the first epoch row has appeared, the signals are sent
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line && !line.TrimStart().StartsWith('0'))
            {
            }
            foreach (var signal in signals)
            {
                // The second is sent once the first was heard (signals sent back to back may be handled in either
                // order, and the first one decides the exit code)
                if (signal != signals[0])
                    await heard.Task.WaitAsync(timeout.Token);
                if (process.HasExited)
                    break;
                Send(signal, process.Id);
            }
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            // a test that failed on the way leaves no training behind
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        Assert.True(process.ExitCode == expected, $"exit {process.ExitCode}: {await error}");
        Assert.Contains("stopping after the current batch; a second signal stops at once.", (await error).Split('\n').Select(l => l.TrimEnd()));
        Assert.DoesNotContain("Unhandled", await error, StringComparison.Ordinal);
        Assert.DoesNotContain(_folder.Entries(), e => e.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_End_The_Networks_Processes_Of_A_Parallel_Ensemble_At_The_Second_Signal()
    {
        // Given the real process training an ensemble of two networks in two processes of its own
        var command = await HearingSigIntAsync(["dotnet", Path.Combine(AppContext.BaseDirectory, "Chronoscope.Cli.dll"),
            "train", "GunPoint", "--ensemble", "2", "--parallel", "--epochs", "1000", "--depth", "1", "--filters", "16",
            "--threads", "2", "--no-report", "--out", _folder.Combine("run")]);
        var start = new ProcessStartInfo(command[0], command[1..]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["CHRONOSCOPE_DATA"] = _folder.Combine("cache");
        var scratch = Directory.CreateDirectory(_folder.Combine("tmp")).FullName; // where the networks' folders go (TMPDIR)
        start.Environment["TMPDIR"] = scratch;
        using var process = Process.Start(start)!;
        var error = ReadErrorAsync(process);
        var children = new List<int>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            var rows = new HashSet<string>();
            while (rows.Count < 2 && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("network ", StringComparison.Ordinal) && line.Split(' ') is [_, var network, var first, ..] && first == "0")
                    rows.Add(network);
            }
            children.AddRange(ChildrenOf(process.Id));
            Assert.Equal(2, children.Count);

            // When both networks have shown an epoch row, two signals reach it together: it is stopped (SIGSTOP),
            // sent SIGINT and SIGTERM, and continued. (The first signal alone kills the networks' processes at once
            // and ends the command: a second sent once the first was heard came after that now and then.)
            Send("STOP", process.Id);
            while (State(process.Id) is not ('T' or null))
                await Task.Delay(10, timeout.Token);
            Send("INT", process.Id);
            Send("TERM", process.Id);
            Send("CONT", process.Id);
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        // Then it ended with the code of the signal handled first (two pending signals may be handled in either order),
        // by whichever path came first: the second signal's (at once) or the first's (the command's end, which a second
        // signal's handler can still lose to: ChildProcessesTests covers the second's path alone).
        // Either way both networks' processes ended and their scratch folder is gone.
        Assert.True(process.ExitCode is ExitCodes.Cancelled or ExitCodes.Terminated, $"exit {process.ExitCode}: {await error}");
        var lines = (await error).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        Assert.Contains("stopping: the networks' processes end now, and nothing is written; a second signal stops at once.", lines);
        Assert.Contains(lines[^1], (string[])["stopped at once: a second signal.", "cancelled: the networks' processes were stopped; no model or pictures written."]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch, "chronoscope-*")); // (the runtime's own sockets and pipes stay after _exit)
        foreach (var id in children)
        {
            Process child;
            try
            {
                child = Process.GetProcessById(id);
            }
            catch (ArgumentException)
            {
                continue; // gone
            }
            using (child)
            {
                var ended = child.HasExited || child.WaitForExit(TimeSpan.FromSeconds(10));
                if (!ended)
                    child.Kill(entireProcessTree: true); // a failing test leaves no training behind
                Assert.True(ended, $"network process {id} still runs");
            }
        }
    }

    /// <summary>
    /// Sends SIGINT, SIGTERM, SIGCONT or SIGSTOP to <paramref name="process"/> by the system call itself (starting
    /// `kill` takes a while on a loaded machine, and the signal tests' timing is what they test).
    /// </summary>
    private static void Send(string signal, int process)
    {
        var number = signal switch
        {
            "INT" => 2,
            "TERM" => 15,
            "CONT" => 18, // x86-64's and arm64's numbers
            "STOP" => 19,
            _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "INT, TERM, CONT or STOP"),
        };
        const int NoSuchProcess = 3; // ESRCH: it ended meanwhile, as the loops' HasExited checks allow
        if (Kill(process, number) != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != NoSuchProcess)
            throw new InvalidOperationException($"kill({process}, SIG{signal}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int process, int signal);

    /// <summary>The ids of the processes whose parent is <paramref name="parent"/>.</summary>
    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), out var id) && Stat(id) is [_, var parentId, ..]
                && int.Parse(parentId, System.Globalization.CultureInfo.InvariantCulture) == parent)
                yield return id;
        }
    }

    /// <summary>The state letter of <paramref name="process"/> (T: stopped), or null once it is gone.</summary>
    private static char? State(int process) => Stat(process) is [var state, ..] ? state[0] : null;

    /// <summary>/proc/PID/stat's fields after the command's name (the state first, then the parent's id), or null once the process is gone.</summary>
    private static string[]? Stat(int process)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{process}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null; // ended meanwhile
        }
    }

    /// <summary>Standard error, whole; <paramref name="heard"/>, if given, completes at the line that acknowledges a signal (or at the end).</summary>
    private static async Task<string> ReadErrorAsync(Process process, TaskCompletionSource? heard = null)
    {
        var text = new System.Text.StringBuilder();
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            text.AppendLine(line);
            if (line.StartsWith("stopping", StringComparison.Ordinal))
                heard?.TrySetResult();
        }
        heard?.TrySetResult();
        return text.ToString();
    }

    /// <summary>
    /// <paramref name="command"/>, or, where this process ignores SIGINT, the same started with SIGINT's default restored:
    /// a test run started in the background (`cmd &amp;` in a script, as CI runs it) ignores SIGINT, children inherit that,
    /// and the runtime keeps an inherited "ignore", as shells expect (a SIGINT sent to the program was then lost).
    /// </summary>
    private static async Task<string[]> HearingSigIntAsync(string[] command) =>
        SigIntIgnored()
            ? [await DebianPackages.PythonAsync(), "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])", .. command]
            : command;

    /// <summary>True when this process ignores SIGINT (bit 2 of /proc/self/status's SigIgn mask).</summary>
    private static bool SigIntIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }
}
