using System.Diagnostics;
using Chronoscope.Cli;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Cli;

[CollectionDefinition(nameof(ChildProcessesTests), DisableParallelization = true)]
public sealed class ChildProcessesTestsCollection;

/// <summary>
/// What a second termination signal ends: the registered processes and their scratch folders. The registry is the
/// process's own, which in-process CLI tests (parallel ensembles) fill too: these run alone.
/// </summary>
[Collection(nameof(ChildProcessesTests))]
public sealed class ChildProcessesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Should_Kill_The_Registered_Processes_With_Their_Children_And_Remove_Their_Folders()
    {
        // Given a process that started one of its own, both would run a minute, and a scratch folder holding a file
        var pids = _folder.Combine("pids");
        var scratch = _folder.Combine("scratch");
        Directory.CreateDirectory(Path.Combine(scratch, "member-1"));
        File.WriteAllText(Path.Combine(scratch, "member-1", "epochs.csv"), "epoch\n");
        using var process = Process.Start("sh", ["-c", $"sleep 60 & echo $! > '{pids}'; wait"]);
        var deadline = Stopwatch.StartNew();
        while (!(File.Exists(pids) && File.ReadAllText(pids).Trim().Length > 0) && deadline.Elapsed < TimeSpan.FromSeconds(20))
            Thread.Sleep(20);
        var grandchild = Process.GetProcessById(int.Parse(File.ReadAllText(pids).Trim(), System.Globalization.CultureInfo.InvariantCulture));
        ChildProcesses.Add(process);
        ChildProcesses.AddFolder(scratch);
        try
        {
            // When all are killed
            ChildProcesses.KillAll();

            // Then both processes have ended by its return, and the folder is gone
            Assert.True(process.HasExited, "the registered process still runs");
            Assert.True(grandchild.WaitForExit(TimeSpan.FromSeconds(10)), "the process it started still runs");
            Assert.False(Directory.Exists(scratch));
        }
        finally
        {
            ChildProcesses.Remove(process);
            ChildProcesses.RemoveFolder(scratch);
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            if (!grandchild.HasExited)
                grandchild.Kill();
            grandchild.Dispose();
        }
    }
}
