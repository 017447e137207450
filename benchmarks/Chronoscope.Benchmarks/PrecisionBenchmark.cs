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
/// <c>--model</c>: the whole default InceptionTime instead (a training step's forward and backward, every parameter's
/// gradient) with the same weights three ways: float32; wholly bfloat16 (the most bf16 could give, BatchNorm included);
/// mixed (<see cref="Models.InceptionTime.ConvolutionType"/>: convolutions in bf16, parameters and BatchNorm float32).
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
        if (Flag(arguments, "--model"))
            return WholeModel(lengths, batch, repeat);
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

    private static int WholeModel(int[] lengths, int batch, int repeat)
    {
        var models = new Models.InceptionTime[3];
        using (TorchRuntime.LockGenerator())
        {
            torch.manual_seed(1);
            models[0] = new Models.InceptionTime(1, 2);
        }
        models[1] = new Models.InceptionTime(1, 2);
        models[1].load_state_dict(models[0].state_dict());
        models[1].to(torch.bfloat16);
        models[2] = new Models.InceptionTime(1, 2);
        models[2].load_state_dict(models[0].state_dict());
        models[2].ConvolutionType = torch.ScalarType.BFloat16; // mixed: convolutions in bf16, the rest float32
        Console.WriteLine($"# precision --model threads={TorchRuntime.Threads} batch={batch} repeat={repeat} (forward + backward, training mode)");
        Console.WriteLine($"{"length",-7} {"fp32_ms",9} {"bf16_ms",9} {"mixed_ms",9} {"fp32_GF/s",10} {"bf16_GF/s",10} {"mixed_GF/s",11} {"bf16/fp32",10} {"mixed/fp32",11} {"bf16_err",10} {"mixed_err",10}");
        foreach (var length in lengths)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn(batch, 1, length); // (B, 1, T)
            var times = new List<double>[] { [], [], [] };
            var logits = new torch.Tensor[3];
            for (var r = 0; r <= repeat; r++)
            {
                for (var p = 0; p < 3; p++)
                {
                    var model = models[p];
                    model.train();
                    model.zero_grad();
                    using var step = torch.NewDisposeScope();
                    var watch = Stopwatch.StartNew();
                    var output = model.call(x.to(p == 1 ? torch.bfloat16 : torch.float32)); // (B, 2)
                    output.to(torch.float32).sum().backward();
                    times[p].Add(watch.Elapsed.TotalMilliseconds);
                    if (r == 0)
                        logits[p] = output.detach().to(torch.float32).MoveToOuterDisposeScope();
                }
            }
            var error = ((logits[1] - logits[0]).abs().max() / logits[0].abs().max()).item<float>();
            var mixedError = ((logits[2] - logits[0]).abs().max() / logits[0].abs().max()).item<float>();
            var (fp32, bf16, mixed) = (Median(times[0].Skip(1)), Median(times[1].Skip(1)), Median(times[2].Skip(1)));
            var flops = 2_411_520.0 * length * batch; // DESIGN.md's forward+backward cost per series
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{length,-7} {fp32,9:F1} {bf16,9:F1} {mixed,9:F1} {flops / fp32 / 1e6,10:F1} {flops / bf16 / 1e6,10:F1} {flops / mixed / 1e6,11:F1} {fp32 / bf16,10:F2} {fp32 / mixed,11:F2} {error,10:E2} {mixedError,10:E2}"));
        }
        foreach (var model in models)
            model.Dispose();
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
}
