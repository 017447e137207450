using System.Diagnostics;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// The PyTorch twin, <c>shared/peers/pytorch_inception.py</c>, run by Debian's Python with PyTorch (installed when
/// missing). The script lives in <c>shared/</c> beside the repository (CI lays it there; a git worktree may sit a level
/// deeper), so every folder above the repository root is searched for <c>shared/peers/pytorch_inception.py</c>.
/// </summary>
internal static class PyTorchReference
{
    private const string ScriptName = "pytorch_inception.py";

    /// <summary>The script's path; fails the test, saying where it looked, when it is not there.</summary>
    public static string ScriptPath()
    {
        var root = RepositoryRoot();
        var looked = new List<string>();
        for (var folder = Directory.GetParent(root); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "peers", ScriptName);
            if (File.Exists(candidate))
                return candidate;
            looked.Add(candidate);
        }
        Assert.Fail($"the PyTorch reference {ScriptName} is missing; it belongs in shared/peers/ beside the repository ({root}). Looked at: {string.Join(", ", looked)}");
        return "";
    }

    /// <summary>Runs <c>/usr/bin/python3 driver args...</c> and fails the test with its output unless it exits 0.</summary>
    public static async Task RunAsync(string driver, params string[] args)
    {
        var python = await DebianPackages.PythonWithTorchAsync();
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(driver);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{python} {driver}: no answer within 5 minutes");
        }
        Assert.True(process.ExitCode == 0, $"{python} {driver} {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}{await errors}");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Chronoscope.slnx")))
                return folder.FullName;
        }
        Assert.Fail($"no Chronoscope.slnx above {AppContext.BaseDirectory}: the tests do not run from a repository checkout.");
        return "";
    }
}
