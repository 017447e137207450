using System.Diagnostics;
using System.Text;

namespace Chronoscope.Tests.Packaging;

/// <summary>
/// Runs a program (dotnet, the installed tool, the built application) to its end with a clean environment: none of
/// the MSBuild or test-host variables that <c>dotnet test</c> hands its test process, so a child <c>dotnet</c> builds
/// as it would from a terminal. Output and errors are kept together, in order, for the failure message.
/// </summary>
internal static class ChildProcess
{
    /// <summary>The dotnet host running these tests (what <c>dotnet test</c> was started with).</summary>
    public static string Dotnet { get; } = FindDotnet();

    public static (int ExitCode, string Output) Run(
        string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) || name == "NUGET_PACKAGES")
                start.Environment.Remove(name);
        }
        start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(Dotnet);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, $"{fileName} {string.Join(' ', arguments)}: still running after {timeout.TotalMinutes:0} minutes, stopped\n{Text(output)}");
        }
        process.WaitForExit(); // drains the redirected streams
        return (process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line == null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }

    private static string FindDotnet()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } path && File.Exists(path)
            ? path
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Select(folder => Path.Combine(folder, name))
                .FirstOrDefault(File.Exists) ?? name;
        // /usr/bin/dotnet is often a link: DOTNET_ROOT must be the folder of the real one
        return File.Exists(host) ? new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(host) : host;
    }
}
