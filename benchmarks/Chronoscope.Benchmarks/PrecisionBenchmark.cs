using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static Chronoscope.Benchmarks.BenchmarkArguments;

namespace Chronoscope.Benchmarks;

/// <summary>
/// <c>precision</c>: one conv1d's forward and backward (input and weight gradients) at InceptionTime's shapes in float32
/// and bfloat16 (oneDNN uses AVX512-BF16 where the CPU has it), the two alternating call by call; prints the median
/// milliseconds and GFLOP/s of each and their ratio. TorchSharp 0.107 exposes no autocast, so bf16 in the network would
/// mean casting inside the modules; this says whether that could pay before anything is built.
/// Options: <c>--lengths 150,500 --kernels 39,19,9 --channels 32,128 --batch-size 64 --repeat 10 --threads 2</c>.
/// </summary>
internal static class PrecisionBenchmark
{
    public static int Run(string[] arguments)
    {
        var lengths = Ints(Option(arguments, "--lengths") ?? "150,500");
        var kernels = Ints(Option(arguments, "--kernels") ?? "39,19,9");
        var channels = Ints(Option(arguments, "--channels") ?? "32,128");
        var batch = Int(arguments, "--batch-size", 64);
        var repeat = Int(arguments, "--repeat", 10);
        TorchRuntime.Threads = Int(arguments, "--threads", 2);
        Console.WriteLine($"# precision threads={TorchRuntime.Threads} batch={batch} repeat={repeat} (channels in = out)");
        Console.WriteLine($"{"length",-7} {"kernel",-7} {"channels",-9} {"fp32_ms",9} {"bf16_ms",9} {"fp32_GF/s",10} {"bf16_GF/s",10} {"bf16/fp32",10} {"max_rel_err",12}");
        foreach (var length in lengths)
        {
            foreach (var kernel in kernels)
            {
                foreach (var width in channels)
                {
                    using var scope = torch.NewDisposeScope();
                    var x = torch.randn(batch, width, length);                                  // (B, C, T)
                    var w = torch.randn(width, width, kernel) / Math.Sqrt(width * kernel);      // (F, C, k)
                    var g = torch.randn(batch, width, length);                                  // (B, F, T) upstream gradient
                    var times = new List<double>[] { [], [] };
                    torch.Tensor? reference = null;
                    var error = 0.0;
                    for (var r = 0; r <= repeat; r++)
                    {
                        for (var p = 0; p < 2; p++)
                        {
                            var type = p == 0 ? torch.float32 : torch.bfloat16;
                            using var step = torch.NewDisposeScope();
                            var watch = Stopwatch.StartNew();
                            var (output, _, _) = ForwardBackward(x.to(type), w.to(type), g.to(type), kernel);
                            times[p].Add(watch.Elapsed.TotalMilliseconds);
                            if (r == 0 && p == 0)
                                reference = output.MoveToOuterDisposeScope();
                            else if (r == 0)
                                error = ((output.to(torch.float32) - reference!).abs().max() / reference!.abs().max()).item<float>();
                        }
                    }
                    var (fp32, bf16) = (Median(times[0].Skip(1)), Median(times[1].Skip(1)));
                    var flops = 3.0 * 2 * batch * width * width * kernel * length; // forward, input and weight gradients
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{length,-7} {kernel,-7} {width,-9} {fp32,9:F1} {bf16,9:F1} {flops / fp32 / 1e6,10:F1} {flops / bf16 / 1e6,10:F1} {fp32 / bf16,10:F2} {error,12:E2}"));
                }
            }
        }
        return 0;
    }

    // The casts are part of the timed step: a bf16 network would cast activations too.
    private static (torch.Tensor Output, torch.Tensor InputGradient, torch.Tensor WeightGradient) ForwardBackward(torch.Tensor x, torch.Tensor w, torch.Tensor g, int kernel)
    {
        using var gradients = torch.enable_grad();
        var input = x.detach().requires_grad_(true);
        var weight = w.detach().requires_grad_(true);
        // As InceptionModule: k >= 39 padded explicitly (oneDNN then picks its direct kernel), the others by the convolution.
        var output = kernel >= 39
            ? torch.nn.functional.conv1d(torch.nn.functional.pad(input, [kernel / 2, kernel / 2]), weight)
            : torch.nn.functional.conv1d(input, weight, padding: kernel / 2); // (B, F, T)
        var grads = torch.autograd.grad([output], [input, weight], [g]);
        return (output.detach(), grads[0], grads[1]);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static int[] Ints(string list) => [.. list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}
