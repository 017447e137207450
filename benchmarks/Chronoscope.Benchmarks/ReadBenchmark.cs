using System.Diagnostics;
using System.Globalization;
using Chronoscope.Data.Formats;
using static Chronoscope.Benchmarks.BenchmarkArguments;

namespace Chronoscope.Benchmarks;

/// <summary>
/// <c>read [--folder DIR] [--size-mb 100] [--repeat 5]</c>: writes (once) a ~100 MB univariate ARFF and a
/// ~100 MB multivariate .ts into DIR, reads each <c>repeat</c> times and prints MB/s and series/s, the bytes
/// one read allocates, the peak resident memory of one read in a fresh process, and how fast the number
/// parser is against the runtime's <c>float.TryParse</c> on the same values.
/// </summary>
internal static class ReadBenchmark
{
    private const double Megabyte = 1 << 20;

    public static int Run(string[] arguments)
    {
        var folder = Option(arguments, "--folder") ?? Path.Combine(Path.GetTempPath(), "chronoscope-benchmarks");
        var sizeMegabytes = int.Parse(Option(arguments, "--size-mb") ?? "100", CultureInfo.InvariantCulture);
        var repeat = int.Parse(Option(arguments, "--repeat") ?? "5", CultureInfo.InvariantCulture);
        var targetBytes = sizeMegabytes * (long)Megabyte;

        var arff = Path.Combine(folder, $"SyntheticUnivariate{sizeMegabytes}MB_TRAIN.arff");
        var ts = Path.Combine(folder, $"SyntheticMultivariate{sizeMegabytes}MB_TRAIN.ts");
        Generate(arff, () => SyntheticDatasets.WriteUnivariateArff(arff, targetBytes));
        Generate(ts, () => SyntheticDatasets.WriteMultivariateTs(ts, targetBytes));

        Console.WriteLine($"runtime {Environment.Version}, {Environment.ProcessorCount} cores, {(Debugger.IsAttached ? "DEBUGGER ATTACHED, " : "")}server GC {System.Runtime.GCSettings.IsServerGC}");
        foreach (var path in new[] { arff, ts })
            Measure(path, repeat);

        MeasureNumberParsing(arff);
        Console.WriteLine();
        Console.WriteLine($"SciPy on the same ARFF: /usr/bin/python3 benchmarks/scipy_arff_read.py {arff}");
        return 0;
    }

    /// <summary><c>read-memory FILE</c>: one read in this fresh process; prints the resident memory before and at the peak.</summary>
    public static int RunMemory(string[] arguments)
    {
        var path = arguments[0];
        // Warm up on a tiny file of the same format so the JIT's memory is part of the baseline, not of the read.
        var warmUp = Path.Combine(Path.GetTempPath(), $"chronoscope-warm-up-{Environment.ProcessId}{Path.GetExtension(path)}");
        try
        {
            if (path.EndsWith(".arff", StringComparison.OrdinalIgnoreCase))
                SyntheticDatasets.WriteUnivariateArff(warmUp, 64 << 10);
            else
                SyntheticDatasets.WriteMultivariateTs(warmUp, 64 << 10);
            DatasetReader.Read(warmUp);
        }
        finally
        {
            File.Delete(warmUp);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var before = ProcStatus("VmRSS:");
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var dataset = DatasetReader.Read(path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var peak = ProcStatus("VmHWM:");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{before} {peak} {dataset.Values.Length * 4L} {allocated}"));
        GC.KeepAlive(dataset);
        return 0;
    }

    private static void Generate(string path, Func<int> write)
    {
        if (File.Exists(path))
            return;
        Console.Write($"writing {path} ... ");
        var watch = Stopwatch.StartNew();
        var series = write();
        Console.WriteLine($"{series:N0} series, {new FileInfo(path).Length / Megabyte:F1} MB in {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static void Measure(string path, int repeat)
    {
        var bytes = new FileInfo(path).Length;
        Console.WriteLine();
        Console.WriteLine($"{Path.GetFileName(path)}: {bytes / Megabyte:F1} MB");

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var dataset = DatasetReader.Read(path); // the first read also compiles the code
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var arrayBytes = dataset.Values.Length * 4L;
        Console.WriteLine($"  {dataset.Count:N0} series × {dataset.Channels} channels × {dataset.Length} steps, classes {string.Join(",", dataset.Classes)}");
        dataset = null;

        var seconds = new List<double>();
        for (var i = 0; i < repeat; i++)
        {
            GC.Collect();
            var watch = Stopwatch.StartNew();
            dataset = DatasetReader.Read(path);
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        seconds.Sort();
        var best = seconds[0];
        var median = seconds[seconds.Count / 2];
        Console.WriteLine($"  read ×{repeat}: best {best:F3} s = {bytes / Megabyte / best:F0} MB/s = {dataset!.Count / best:N0} series/s; median {median:F3} s = {bytes / Megabyte / median:F0} MB/s");
        Console.WriteLine($"  managed bytes allocated by one read: {allocated / Megabyte:F1} MB for a values array of {arrayBytes / Megabyte:F1} MB (×{(double)allocated / arrayBytes:F2})");

        var memory = RunChild(path);
        if (memory is { } m)
        {
            Console.WriteLine($"  one read in a fresh process: resident {m.Before / 1024.0:F0} MB before, peak {m.Peak / 1024.0:F0} MB " +
                $"(+{(m.Peak - m.Before) / 1024.0:F0} MB for a {m.ArrayBytes / Megabyte:F1} MB values array)");
        }
    }

    /// <summary>Number parsing alone, on every value of <paramref name="path"/>'s data held in memory.</summary>
    private static void MeasureNumberParsing(string path)
    {
        var fields = new List<(int Start, int Length)>();
        var text = File.ReadAllBytes(path);
        var data = text.AsSpan().IndexOf("@data\n"u8) + 6;
        var start = data;
        for (var i = data; i < text.Length; i++)
        {
            if (text[i] is (byte)',' or (byte)'\n')
            {
                if (text[i] == (byte)',')
                    fields.Add((start, i - start));
                start = i + 1;
            }
        }
        Console.WriteLine();
        Console.WriteLine($"number parsing alone, {fields.Count:N0} values of {Path.GetFileName(path)} in memory (best of 3):");
        var runtime = Time(() =>
        {
            var sum = 0f;
            foreach (var (s, n) in fields)
            {
                float.TryParse(text.AsSpan(s, n), NumberStyles.Float, CultureInfo.InvariantCulture, out var v);
                sum += v;
            }
            return sum;
        });
        var ours = Time(() =>
        {
            var sum = 0f;
            foreach (var (s, n) in fields)
            {
                Utf8FloatParser.TryParse(text.AsSpan(s, n), out var v);
                sum += v;
            }
            return sum;
        });
        Console.WriteLine($"  float.TryParse(UTF-8):      {fields.Count / runtime / 1e6:F1} M values/s");
        Console.WriteLine($"  Utf8FloatParser.TryParse:   {fields.Count / ours / 1e6:F1} M values/s (×{runtime / ours:F1})");
    }

    private static double Time(Func<float> work)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(work());
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return best;
    }

    private static (long Before, long Peak, long ArrayBytes)? RunChild(string path)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        var host = Environment.ProcessPath!;
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(typeof(ReadBenchmark).Assembly.Location);
        start.ArgumentList.Add("read-memory");
        start.ArgumentList.Add(path);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd().Trim().Split(' ');
        child.WaitForExit();
        if (child.ExitCode != 0 || output.Length < 3)
            return null;
        return (long.Parse(output[0], CultureInfo.InvariantCulture), long.Parse(output[1], CultureInfo.InvariantCulture),
            long.Parse(output[2], CultureInfo.InvariantCulture));
    }
}
