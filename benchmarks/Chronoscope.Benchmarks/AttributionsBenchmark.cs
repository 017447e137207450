using System.Diagnostics;
using System.Globalization;
using Chronoscope.Data;
using Chronoscope.Explain;
using Chronoscope.Inference;
using Chronoscope.Models;
using TorchSharp;

namespace Chronoscope.Benchmarks;

/// <summary>
/// Series explained per second by each map method on the default InceptionTime (untrained weights: the cost does not
/// depend on them), batch 64, at GunPoint size (L = 150) and FordA size (L = 500) by default. Each method explains
/// <c>--items</c> series once after one warm-up batch; GradientSHAP gets a 64-series reference set.
/// Options: <c>--lengths 150,500</c>, <c>--items 64</c>, <c>--methods name,…</c>, <c>--pass-size 256</c>.
/// </summary>
internal static class AttributionsBenchmark
{
    public static int Run(string[] arguments)
    {
        var lengths = (BenchmarkArguments.Option(arguments, "--lengths") ?? "150,500").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var items = BenchmarkArguments.Int(arguments, "--items", 64);
        var passSize = BenchmarkArguments.Int(arguments, "--pass-size", 256);
        var only = BenchmarkArguments.Option(arguments, "--methods")?.Split(',');
        var methods = new (string Name, MapMethod Method)[]
        {
            ("GRAD-CAM", MapMethod.GradCam),
            ("Saliency", MapMethod.Saliency),
            ("Gradient x Input", MapMethod.GradientTimesInput),
            ("Integrated Gradients (64 steps)", MapMethod.IntegratedGradients()),
            ("SmoothGrad (50 samples)", MapMethod.SmoothGrad()),
            ("GradientSHAP (32 samples)", MapMethod.GradientShap()),
            ("Occlusion (window 8, stride 4)", MapMethod.Occlusion()),
            ("Random", MapMethod.Random),
        };
        Console.WriteLine($"threads {torch.get_num_threads()}, batch 64, {items} series per method, pass size {passSize}");
        foreach (var length in lengths)
        {
            torch.manual_seed(1);
            var data = SyntheticData.Create(items, 1, length, 2, seed: 3);
            var reference = SyntheticData.Create(64, 1, length, 2, seed: 4);
            using var classifier = new TimeSeriesClassifier(new InceptionTime(1, 2), ["0", "1"], Normalizer.Fit(Normalization.None, data), MissingValues.Fail, length, "Synthetic");
            var explainer = new Explainer(classifier);
            var all = Enumerable.Range(0, items).ToArray();
            Console.WriteLine($"L = {length}");
            foreach (var (name, method) in methods.Where(m => only is null || only.Any(o => m.Name.StartsWith(o, StringComparison.OrdinalIgnoreCase))))
            {
                var options = new ExplainOptions { Method = method, BatchSize = 64, PassSize = passSize, Reference = reference, ForceScale = false };
                explainer.Explain(data, all.Take(Math.Min(8, items)).ToArray(), options); // warm-up
                var clock = Stopwatch.StartNew();
                explainer.Explain(data, all, options);
                var seconds = clock.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-34} {items / seconds,9:0.0} series/s  ({seconds:0.00} s)"));
            }
        }
        return 0;
    }
}
