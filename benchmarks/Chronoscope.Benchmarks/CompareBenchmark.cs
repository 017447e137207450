using System.Diagnostics;
using System.Globalization;
using System.Text;
using static Chronoscope.Benchmarks.BenchmarkArguments;

namespace Chronoscope.Benchmarks;

/// <summary>
/// <c>compare</c>: runs <c>train</c> (this program, in a child process) and then <c>shared/peers/pytorch_inception.py</c>
/// with the same arguments, one after the other, and prints their results side by side with the ratio: epoch times,
/// inference and Grad-CAM series/s, peak resident memory, final accuracy. The PyTorch side is the reference as users
/// run it (fp32 eager); options only our side knows (<c>--calibration</c>, <c>--precision</c>, <c>--predict-precision</c>, <c>--no-explicit-padding</c>, <c>--no-gradient-convolution</c>,
/// <c>--no-malloc-tune</c>, <c>--no-fold</c>, <c>--no-spectral</c>) go to our side only. Both get <c>--threads 2</c> unless given.
/// Own options: <c>--peer PATH</c> (default: the first <c>shared/peers/pytorch_inception.py</c> above the current
/// folder), <c>--python /usr/bin/python3</c>, <c>--timeout 900</c> (seconds per side; then the child is killed).
/// </summary>
internal static class CompareBenchmark
{
    private static readonly string[] OursOnlyFlags = ["--no-explicit-padding", "--no-gradient-convolution", "--no-malloc-tune", "--no-fold", "--no-spectral"];
    private static readonly string[] OursOnlyOptions = ["--calibration", "--precision", "--predict-precision"];
    private static readonly string[] OwnOptions = ["--peer", "--python", "--timeout"];

    public static int Run(string[] arguments)
    {
        var peer = Option(arguments, "--peer") ?? FindPeer();
        if (peer is null || !File.Exists(peer))
        {
            Console.Error.WriteLine("compare: shared/peers/pytorch_inception.py not found above the current folder; pass --peer PATH");
            return 1;
        }
        var python = Option(arguments, "--python") ?? "/usr/bin/python3";
        var timeout = TimeSpan.FromSeconds(Double(arguments, "--timeout", 900));
        var common = Without(arguments, OwnOptions, []);
        if (Option(common, "--threads") is null)
            common = [.. common, "--threads", "2"];
        var theirs = Without(common, OursOnlyOptions, OursOnlyFlags);

        // This program again: its apphost, or `dotnet <dll>` when it was started that way.
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("the benchmark's own executable is unknown");
        string[] ourArguments = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [typeof(CompareBenchmark).Assembly.Location, "train", .. common]
            : ["train", .. common];
        var ours = RunChild("chronoscope", self, ourArguments, timeout);
        var pytorch = RunChild("pytorch", python, [peer, .. theirs], timeout);
        if (ours is null || pytorch is null)
            return 1;

        Console.WriteLine();
        Console.WriteLine($"{"",-32} {"chronoscope",12} {"pytorch",12} {"ratio",7}");
        Row("epoch 1 (s)", ours, pytorch, "RESULT", "epoch1_s");
        Row("steady epoch, median (s)", ours, pytorch, "RESULT", "median_epoch_s_excl1");
        Row("seconds per epoch, all", ours, pytorch, "RESULT", "s_per_epoch");
        Row("train phase per epoch (s)", ours, pytorch, "RESULT", "train_phase_s_per_epoch");
        Row("valid phase per epoch (s)", ours, pytorch, "RESULT", "valid_phase_s_per_epoch");
        Row("inference (series/s)", ours, pytorch, "RESULT", "infer_series_per_s");
        Row("Grad-CAM (series/s)", ours, pytorch, "GRADCAM", "series_per_s");
        Row("peak resident memory (MB)", ours, pytorch, "RESULT", "self_maxrss_mb");
        Row("final accuracy", ours, pytorch, "RESULT", "final_acc");
        Console.WriteLine("ratio = chronoscope / pytorch: below 1 is faster for times, above 1 is faster for series/s.");
        return 0;
    }

    private static void Row(string label, Dictionary<string, Dictionary<string, string>> ours, Dictionary<string, Dictionary<string, string>> theirs, string line, string key)
    {
        static double? Value(Dictionary<string, Dictionary<string, string>> results, string line, string key) =>
            results.TryGetValue(line, out var values) && values.TryGetValue(key, out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
        var (a, b) = (Value(ours, line, key), Value(theirs, line, key));
        var ratio = a is { } x && b is { } y && y != 0 ? (x / y).ToString("F2", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-32} {a?.ToString("G5", CultureInfo.InvariantCulture) ?? "-",12} {b?.ToString("G5", CultureInfo.InvariantCulture) ?? "-",12} {ratio,7}"));
    }

    /// <summary>
    /// Runs one side, echoing its lines with a prefix; returns its RESULT and GRADCAM lines as key=value maps, or null
    /// when it failed or outlived <paramref name="timeout"/> (then it is killed with its children).
    /// </summary>
    private static Dictionary<string, Dictionary<string, string>>? RunChild(string name, string program, string[] arguments, TimeSpan timeout)
    {
        Console.WriteLine($"# {name}: {program} {string.Join(' ', arguments)}");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        if (name == "pytorch")
        {
            // The reference runs as its users run it: without the huge-page heap our side restarted itself with.
            start.Environment.Remove("GLIBC_TUNABLES");
            if (TorchRuntime.WithoutHugePageTunable(Environment.GetEnvironmentVariable("GLIBC_TUNABLES")) is { } tunables)
                start.Environment["GLIBC_TUNABLES"] = tunables;
        }
        var results = new Dictionary<string, Dictionary<string, string>>();
        var errors = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } text)
                return;
            Console.WriteLine($"[{name}] {text}");
            var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 0 && words[0] is "RESULT" or "GRADCAM")
            {
                lock (results)
                    results[words[0]] = words.Skip(1).Select(w => w.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } text)
                lock (errors)
                    errors.AppendLine(text);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            Console.Error.WriteLine($"compare: {name} did not finish within {timeout.TotalSeconds:F0} s and was stopped");
            return null;
        }
        process.WaitForExit(); // drains the redirected streams (the process has exited)
        if (process.ExitCode != 0 || !results.ContainsKey("RESULT"))
        {
            Console.Error.WriteLine($"compare: {name} failed (exit code {process.ExitCode}):{Environment.NewLine}{errors}");
            return null;
        }
        return results;
    }

    /// <summary><paramref name="arguments"/> without the given options (with their values) and flags.</summary>
    private static string[] Without(string[] arguments, string[] options, string[] flags)
    {
        var kept = new List<string>();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (options.Contains(arguments[i]))
                i++;
            else if (!flags.Contains(arguments[i]))
                kept.Add(arguments[i]);
        }
        return [.. kept];
    }

    private static string? FindPeer()
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "peers", "pytorch_inception.py");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}
