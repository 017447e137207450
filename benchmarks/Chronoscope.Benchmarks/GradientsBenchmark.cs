using System.Diagnostics;
using System.Globalization;
using Chronoscope.Models;
using TorchSharp;
using static Chronoscope.Benchmarks.BenchmarkArguments;
using static TorchSharp.torch.nn;

namespace Chronoscope.Benchmarks;

/// <summary>
/// <c>gradients</c>: one branch convolution of InceptionTime ('same' padding, padded explicitly) and its input and
/// weight gradients, by libtorch's backward pass and by <see cref="GradientConvolution"/>, the ways alternating call by
/// call; prints the median milliseconds of each and each gradient's largest difference between the two, relative to
/// its size. Options: <c>--length 500 --kernels 39,19,9 --channels 32 --filters 32 --batch-size 64 --repeat 8 --threads 2 --type fp32|bf16</c> (bf16: every tensor in bfloat16, as mixed-precision training convolves).
/// </summary>
internal static class GradientsBenchmark
{
    public static int Run(string[] arguments)
    {
        var length = Int(arguments, "--length", 500);
        var channels = Int(arguments, "--channels", 32);
        var filters = Int(arguments, "--filters", 32);
        var batch = Int(arguments, "--batch-size", 64);
        var repeat = Int(arguments, "--repeat", 8);
        var type = (Option(arguments, "--type") ?? "fp32") switch
        {
            "fp32" => torch.ScalarType.Float32,
            "bf16" => torch.ScalarType.BFloat16,
            var other => throw new ArgumentException($"--type: expected fp32 or bf16, found {other}"),
        };
        TorchRuntime.TuneAllocator();
        TorchRuntime.Threads = Int(arguments, "--threads", 2);
        Console.WriteLine($"# gradients threads={TorchRuntime.Threads} huge_pages={TorchRuntime.HugePages} batch={batch} length={length} channels={channels} filters={filters} repeat={repeat} type={type}");
        Console.WriteLine($"{"kernel",-7} {"forward_ms",11} {"libtorch_input_ms",18} {"ours_input_ms",14} {"libtorch_weight_ms",19} {"ours_weight_ms",15} {"input_diff",11} {"weight_diff",12}");
        foreach (var kernel in Ints(Option(arguments, "--kernels") ?? "39,19,9"))
        {
            using var scope = torch.NewDisposeScope();
            var padding = InceptionModule.SamePadding(kernel);
            var x = torch.randn(batch, channels, length).to(type);                                  // (B, C, T)
            var w = (torch.randn(filters, channels, kernel) / Math.Sqrt(channels * kernel)).to(type); // (F, C, k)
            var g = torch.randn(batch, filters, length).to(type);                                   // (B, F, T) upstream gradient
            torch.Tensor Libtorch(torch.Tensor x, torch.Tensor w) => functional.conv1d(functional.pad(x, [padding.Before, padding.After]), w);
            torch.Tensor Ours(torch.Tensor x, torch.Tensor w) => GradientConvolution.Convolve(x, w, padding);
            // Each gradient alone (the other input needs none), so that each path computes only what is timed
            var ways = new (string Name, Func<torch.Tensor> Run)[]
            {
                ("forward", () => Libtorch(x, w)),
                ("libtorch input", () => Gradient(Libtorch, x, w, g, ofInput: true)),
                ("ours input", () => Gradient(Ours, x, w, g, ofInput: true)),
                ("libtorch weight", () => Gradient(Libtorch, x, w, g, ofInput: false)),
                ("ours weight", () => Gradient(Ours, x, w, g, ofInput: false)),
            };
            var times = ways.Select(_ => new List<double>()).ToArray();
            var first = new torch.Tensor[ways.Length];
            for (var r = 0; r <= repeat; r++)
            {
                for (var i = 0; i < ways.Length; i++)
                {
                    using var step = torch.NewDisposeScope();
                    var watch = Stopwatch.StartNew();
                    var result = ways[i].Run();
                    times[i].Add(watch.Elapsed.TotalMilliseconds);
                    if (r == 0)
                        first[i] = result.MoveToOuterDisposeScope();
                }
            }
            // The backward timings include the forward pass each needs; the forward's own time is taken off
            var forward = Median(times[0].Skip(1));
            var ms = times.Select(t => Median(t.Skip(1))).ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kernel,-7} {forward,11:F1} {ms[1] - forward,18:F1} {ms[2] - forward,14:F1} {ms[3] - forward,19:F1} {ms[4] - forward,15:F1} {Relative(first[2], first[1]),11:E1} {Relative(first[4], first[3]),12:E1}"));
        }
        return 0;
    }

    private static torch.Tensor Gradient(Func<torch.Tensor, torch.Tensor, torch.Tensor> convolve, torch.Tensor x, torch.Tensor w, torch.Tensor g, bool ofInput)
    {
        var input = ofInput ? x.detach().requires_grad_() : x;
        var weight = ofInput ? w : w.detach().requires_grad_();
        return torch.autograd.grad([convolve(input, weight)], [ofInput ? input : weight], [g])[0];
    }

    private static double Relative(torch.Tensor ours, torch.Tensor reference) =>
        ((ours - reference).abs().max() / reference.abs().max()).to(torch.ScalarType.Float32).item<float>();
}
