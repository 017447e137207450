using System.Diagnostics;

namespace Chronoscope.Tests.TestSupport;

/// <summary>
/// Installs the Debian packages a test needs (chromium for the report's browser tests, python3-torch for the PyTorch
/// cross-checks) when they are missing, so that <c>dotnet test</c> passes on a fresh machine with only the .NET SDK.
/// Each package is installed at most once per test run, one apt-get at a time; a machine where that is impossible
/// (not root, no apt-get, no package registry) gets a failure that says how to install it by hand.
/// </summary>
internal static class DebianPackages
{
    private static readonly SemaphoreSlim Apt = new(1, 1);
    private static readonly Dictionary<string, Task> Installs = [];
    private static bool _updated;

    // Another apt-get (a second test process, the machine's own updates) may hold the lock for a while.
    private const string WaitForLock = "-o DPkg::Lock::Timeout=600";

    /// <summary>
    /// Makes sure <paramref name="package"/> is installed: nothing to do when <paramref name="isPresent"/> says so,
    /// else <c>apt-get install</c>. Throws when it is still missing afterwards.
    /// </summary>
    public static Task EnsureAsync(string package, Func<bool> isPresent)
    {
        lock (Installs)
        {
            if (!Installs.TryGetValue(package, out var install) || install.IsFaulted)
                Installs[package] = install = Task.Run(() => InstallAsync(package, isPresent));
            return install;
        }
    }

    /// <summary>Debian's chromium, for the browser tests; returns its executable path.</summary>
    public static async Task<string> ChromiumAsync()
    {
        const string path = "/usr/bin/chromium";
        await EnsureAsync("chromium", () => File.Exists(path));
        return path;
    }

    /// <summary>Debian's python3 (a fresh machine may lack it); returns the interpreter.</summary>
    public static async Task<string> PythonAsync()
    {
        const string python = "/usr/bin/python3";
        await EnsureAsync("python3", () => File.Exists(python));
        return python;
    }

    /// <summary>Debian's PyTorch for <c>/usr/bin/python3</c>, for the cross-checks against PyTorch; returns the interpreter.</summary>
    public static async Task<string> PythonWithTorchAsync()
    {
        const string python = "/usr/bin/python3";
        await EnsureAsync("python3-torch", () => Run(python, "-c \"import torch\"", TimeSpan.FromMinutes(2)).ExitCode == 0);
        return python;
    }

    private static async Task InstallAsync(string package, Func<bool> isPresent)
    {
        if (isPresent())
            return;
        await Apt.WaitAsync();
        try
        {
            if (isPresent())
                return;
            var log = new List<string>();
            if (!_updated)
            {
                var update = Run("apt-get", $"{WaitForLock} update -qq", TimeSpan.FromMinutes(5));
                log.Add(update.Output);
                _updated = update.ExitCode == 0;
            }
            var install = Run("apt-get", $"{WaitForLock} install -y -qq --no-install-recommends {package}", TimeSpan.FromMinutes(15));
            log.Add(install.Output);
            if (!isPresent())
            {
                throw new InvalidOperationException(
                    $"the test needs Debian's {package} and installing it failed (exit {install.ExitCode}); install it with " +
                    $"'apt-get update && apt-get install -y {package}'. apt-get said:{Environment.NewLine}" +
                    string.Join(Environment.NewLine, log).Trim());
            }
        }
        finally
        {
            Apt.Release();
        }
    }

    private static (int ExitCode, string Output) Run(string fileName, string arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{fileName} {arguments}: no answer within {timeout.TotalMinutes:0} minutes");
            }
            return (process.ExitCode, output.Result + errors.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{fileName}: {e.Message}");
        }
    }
}
