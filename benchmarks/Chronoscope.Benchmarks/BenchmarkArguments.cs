using System.Globalization;
using Chronoscope.Inference;
using Chronoscope.Training;

namespace Chronoscope.Benchmarks;

/// <summary>The few things every benchmark needs: <c>--name value</c> options, flags, medians, and /proc/self/status readings.</summary>
internal static class BenchmarkArguments
{
    public static string? Option(string[] arguments, string name)
    {
        var index = Array.IndexOf(arguments, name);
        return index >= 0 && index + 1 < arguments.Length ? arguments[index + 1] : null;
    }

    public static int Int(string[] arguments, string name, int fallback) =>
        Option(arguments, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static double Double(string[] arguments, string name, double fallback) =>
        Option(arguments, name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static bool Flag(string[] arguments, string name) => Array.IndexOf(arguments, name) >= 0;

    /// <summary>A comma-separated list of integers, e.g. <c>--kernels 39,19,9</c>'s value.</summary>
    public static int[] Ints(string list) => [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    /// <summary>The median of timings (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary><c>--precision fp32|bf16|auto</c>, as <c>chronoscope train</c> spells it; <paramref name="fallback"/> (fp32 unless given) when absent.</summary>
    public static TrainingPrecision Precision(string[] arguments, TrainingPrecision fallback = TrainingPrecision.Float32) => Option(arguments, "--precision") switch
    {
        null => fallback,
        "bf16" => TrainingPrecision.BFloat16,
        "auto" => TrainingPrecision.Auto,
        "fp32" => TrainingPrecision.Float32,
        var other => throw new ArgumentException($"--precision {other}: expected fp32, bf16 or auto"),
    };

    /// <summary><paramref name="name"/> <c>fp32|bf16</c>, a prediction's number type (<see cref="TimeSeriesClassifier.Precision"/>); fp32 when absent.</summary>
    public static InferencePrecision PredictionPrecision(string[] arguments, string name) => Option(arguments, name) switch
    {
        null or "fp32" => InferencePrecision.Float32,
        "bf16" => InferencePrecision.BFloat16,
        var other => throw new ArgumentException($"{name} {other}: expected fp32 or bf16"),
    };

    /// <summary>A line of /proc/self/status in kB, e.g. VmHWM (peak resident memory) or VmRSS.</summary>
    public static long ProcStatus(string key) => ProcField("/proc/self/status", key);

    /// <summary>The kB value of the line starting with <paramref name="key"/> in a /proc file such as status or smaps_rollup; 0 when absent.</summary>
    public static long ProcField(string path, string key)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return 0;
    }
}
