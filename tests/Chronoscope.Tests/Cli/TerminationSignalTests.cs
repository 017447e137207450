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
        string[] command = ["dotnet", Path.Combine(AppContext.BaseDirectory, "Chronoscope.Cli.dll"),
            "train", "GunPoint", "--epochs", "1000", "--depth", "1", "--filters", "4", "--no-report", "--out", run];
        // A test run started in the background (`cmd &`) ignores SIGINT, and children inherit that (the runtime keeps an
        // inherited "ignore", as shells expect): then the child is started with SIGINT's default restored.
        if (SigIntIgnored())
            command = [await DebianPackages.PythonAsync(), "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])", .. command];
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
                using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
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

    /// <summary>Standard error, whole; <paramref name="heard"/> completes at the line that acknowledges a signal (or at the end).</summary>
    private static async Task<string> ReadErrorAsync(Process process, TaskCompletionSource heard)
    {
        var text = new System.Text.StringBuilder();
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            text.AppendLine(line);
            if (line.StartsWith("stopping", StringComparison.Ordinal))
                heard.TrySetResult();
        }
        heard.TrySetResult();
        return text.ToString();
    }

    /// <summary>True when this process ignores SIGINT (bit 2 of /proc/self/status's SigIgn mask).</summary>
    private static bool SigIntIgnored()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;
    }
}
