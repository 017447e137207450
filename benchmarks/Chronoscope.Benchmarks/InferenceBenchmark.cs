using System.Diagnostics;
using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using TorchSharp;
using static Chronoscope.Benchmarks.BenchmarkArguments;

namespace Chronoscope.Benchmarks;

/// <summary>
/// <c>inference</c>: series/s of <see cref="TimeSeriesClassifier.Predict(DataLoader)"/> and of Grad-CAM
/// (<see cref="Explainer"/>, layer 5, raw maps) on the default InceptionTime (seeded, untrained: the cost does not depend
/// on the weights), per series length and batch size, with the BatchNorms folded into the convolutions (the default in
/// eval mode: <see cref="InceptionTime.FoldsBatchNorm"/>) and as such. Each cell is the best of <c>--rounds</c> runs of at least <c>--min-time</c> seconds, the two
/// settings alternating so a busy machine slows both alike.
/// Options: <c>--lengths 150,500 --batch-sizes 64,128,256 --series 512 --threads 2 --min-time 1 --rounds 2
/// --no-gradcam --no-malloc-tune --precision fp32|bf16</c> (prediction's; Grad-CAM always computes in float32).
/// </summary>
internal static class InferenceBenchmark
{
    public static int Run(string[] arguments)
    {
        var lengths = Ints(Option(arguments, "--lengths") ?? "150,500");
        var batchSizes = Ints(Option(arguments, "--batch-sizes") ?? "64,128,256");
        var count = Int(arguments, "--series", 512);
        var minimumSeconds = Double(arguments, "--min-time", 1);
        var rounds = Int(arguments, "--rounds", 2);
        var gradCam = !Flag(arguments, "--no-gradcam");
        var precision = PredictionPrecision(arguments, "--precision");
        var mallocTuned = !Flag(arguments, "--no-malloc-tune") && TorchRuntime.TuneAllocator();
        TorchRuntime.Threads = Int(arguments, "--threads", 2);
        Console.WriteLine($"# inference threads={TorchRuntime.Threads} malloc_tune={mallocTuned} huge_pages={TorchRuntime.HugePages} series={count} rounds={rounds} min_time={minimumSeconds} precision={precision}");
        if (Flag(arguments, "--forward"))
            return ForwardOnly(lengths, batchSizes, Int(arguments, "--repeat", 20), precision);
        Console.WriteLine($"{"length",-7} {"batch",-6} {"what",-8} {"unfolded/s",11} {"folded/s",11} {"ratio",6}");
        foreach (var length in lengths)
        {
            var data = SyntheticData.Create(count, 1, length, 2, seed: 3);
            InceptionTime model;
            using (TorchRuntime.LockGenerator())
            {
                torch.manual_seed(1);
                model = new InceptionTime(1, 2);
            }
            using var classifier = new TimeSeriesClassifier(model, ["0", "1"], Normalizer.Fit(Normalization.None, data), MissingValues.Fail, length, "Synthetic") { Precision = precision };
            foreach (var batchSize in batchSizes)
            {
                using var loader = classifier.CreateLoader(data, batchSize);
                Report(length, batchSize, "predict", Compare(model, rounds, () => Throughput(minimumSeconds, () => classifier.Predict(loader).Count)));
                if (!gradCam)
                    continue;
                var explainer = new Explainer(classifier);
                var indices = Enumerable.Range(0, Math.Min(count, 2 * batchSize)).ToArray();
                var options = new ExplainOptions { ForceScale = false, BatchSize = batchSize };
                Report(length, batchSize, "gradcam", Compare(model, rounds, () => Throughput(minimumSeconds, () => explainer.Explain(loader, indices, options).Count)));
            }
        }
        return 0;
    }

    /// <summary>
    /// <c>--forward</c>: the network's forward pass alone (eval, no gradients) on one batch, unfolded, folded with direct
    /// convolutions and folded with the branches by FFT (<see cref="InceptionTime.SpectralBranches"/>), the calls
    /// alternating <c>--repeat</c> times; prints the median milliseconds of each (robust to a machine busy in bursts).
    /// </summary>
    private static int ForwardOnly(int[] lengths, int[] batchSizes, int repeat, InferencePrecision precision)
    {
        InceptionTime model;
        using (TorchRuntime.LockGenerator())
        {
            torch.manual_seed(1);
            model = new InceptionTime(1, 2);
        }
        using (model)
        {
            model.eval();
            model.ConvolutionType = precision.ConvolutionType();
            using var noGrad = torch.no_grad();
            Console.WriteLine($"{"length",-7} {"batch",-6} {"unfolded_ms",12} {"folded_ms",12} {"ratio",6} {"spectral_ms",12} {"ratio",6}");
            foreach (var length in lengths)
            {
                foreach (var batchSize in batchSizes)
                {
                    using var x = torch.randn(batchSize, 1, length); // (B, 1, T)
                    var times = new List<double>[] { [], [], [] };
                    for (var r = 0; r <= repeat; r++)
                    {
                        for (var f = 0; f < 3; f++)
                        {
                            model.FoldsBatchNorm = f > 0;
                            model.SpectralBranches = f == 2;
                            using var scope = torch.NewDisposeScope();
                            var watch = Stopwatch.StartNew();
                            model.call(x);
                            if (r > 0)
                                times[f].Add(watch.Elapsed.TotalMilliseconds);
                        }
                    }
                    var (unfolded, folded, spectral) = (Median(times[0]), Median(times[1]), Median(times[2]));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{length,-7} {batchSize,-6} {unfolded,12:F1} {folded,12:F1} {unfolded / folded,6:F3} {spectral,12:F1} {unfolded / spectral,6:F3}"));
                }
            }
        }
        return 0;
    }

    /// <summary>Best series/s unfolded and folded, alternating; the first call of each is a warm-up.</summary>
    private static (double Unfolded, double Folded) Compare(InceptionTime model, int rounds, Func<double> measure)
    {
        var (unfolded, folded) = (0.0, 0.0);
        for (var r = 0; r < rounds; r++)
        {
            model.FoldsBatchNorm = false;
            unfolded = Math.Max(unfolded, measure());
            model.FoldsBatchNorm = true;
            folded = Math.Max(folded, measure());
        }
        return (unfolded, folded);
    }

    /// <summary>Series per second of <paramref name="run"/> (which returns how many it did), after one warm-up run.</summary>
    private static double Throughput(double minimumSeconds, Func<int> run)
    {
        run();
        var watch = Stopwatch.StartNew();
        var series = 0L;
        do
            series += run();
        while (watch.Elapsed.TotalSeconds < minimumSeconds);
        return series / watch.Elapsed.TotalSeconds;
    }

    private static void Report(int length, int batchSize, string what, (double Unfolded, double Folded) result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{length,-7} {batchSize,-6} {what,-8} {result.Unfolded,11:F1} {result.Folded,11:F1} {result.Folded / result.Unfolded,6:F3}"));
}
