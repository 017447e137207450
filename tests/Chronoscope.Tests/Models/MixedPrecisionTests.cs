using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;

namespace Chronoscope.Tests.Models;

public sealed class MixedPrecisionTests
{
    [Theory]
    [InlineData(InceptionTimeVariant.Fastai)]
    [InlineData(InceptionTimeVariant.Paper)]
    public void Should_Compute_Close_To_Float32_With_Bfloat16_Convolutions(InceptionTimeVariant variant)
    {
        // Given a seeded network and inputs, in training mode (BatchNorm on the batch's statistics)
        using var leaks = new TensorLeakCheck();
        var options = variant == InceptionTimeVariant.Paper ? InceptionTimeOptions.Paper : new InceptionTimeOptions();
        using var model = Seeded.Build(21, () => new InceptionTime(2, 3, options));
        model.train();
        using var scope = torch.NewDisposeScope();
        var random = new Random(8);
        var x = torch.tensor(Enumerable.Range(0, 8 * 2 * 60).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray()).reshape(8, 2, 60); // (B, C, T)

        // When a step's forward and backward run in float32 and with the convolutions in bfloat16
        var (logits, gradients) = Step(model, x, torch.ScalarType.Float32);
        var (mixedLogits, mixedGradients) = Step(model, x, torch.ScalarType.BFloat16);

        // Then the outputs and every parameter's gradient are float32, within bfloat16's rounding (8 bits of mantissa,
        // ~0.4% per value, accumulated over the network) of the float32 ones, and pointing the same way
        Assert.Equal(torch.ScalarType.Float32, mixedLogits.dtype);
        Assert.All(mixedGradients, g => Assert.Equal(torch.ScalarType.Float32, g.dtype));
        Assert.True(RelativeError(logits, mixedLogits) < 0.05, $"logits {RelativeError(logits, mixedLogits):E3} off");
        Assert.True(RelativeError(logits, mixedLogits) > 0, "the bfloat16 path was not taken");
        // (all parameters together: a bias in front of a BatchNorm has a near-zero gradient that rounding dominates;
        // measured 0.984 for fastai, above 0.99 for the paper's network)
        var cosine = Cosine(torch.cat([.. gradients.Select(g => g.flatten())]), torch.cat([.. mixedGradients.Select(g => g.flatten())]));
        Assert.True(cosine > 0.95, $"the gradient points elsewhere: cosine {cosine:F4}");
        Assert.Equal(torch.ScalarType.Float32, model.ConvolutionType);
    }

    [Theory]
    [InlineData(30)] // NATOPS has 24, FingerMovements 28, Heartbeat 61
    [InlineData(61)]
    public void Should_Train_In_Bfloat16_On_Channels_That_Are_No_Multiple_Of_16_Whatever_Memory_Held(int channels)
    {
        // Given a network of that many input channels in training mode, and memory that held NaN just before each pass
        // (oneDNN's bfloat16 kernels of size 9 and 19 over such channel counts read lanes they never wrote: a 30-channel
        // set trained to NaN in its first step)
        using var leaks = new TensorLeakCheck();
        using var model = Seeded.Build(23, () => new InceptionTime(channels, 3));
        model.train();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([8, channels, 40], generator: new torch.Generator(10)); // (B, C, T)
        (torch.Tensor Logits, torch.Tensor[] Gradients) StepOnDirtyMemory(torch.ScalarType type)
        {
            torch.full([8, 64, 200], float.NaN).Dispose();
            return Step(model, x, type);
        }

        // When a step runs in float32 and with the convolutions in bfloat16
        var (logits, gradients) = StepOnDirtyMemory(torch.ScalarType.Float32);
        var (mixedLogits, mixedGradients) = StepOnDirtyMemory(torch.ScalarType.BFloat16);

        // Then the bfloat16 step is finite and within bfloat16's rounding of the float32 one
        Assert.False(mixedLogits.isnan().any().item<bool>(), "NaN logits");
        Assert.True(RelativeError(logits, mixedLogits) < 0.05, $"logits {RelativeError(logits, mixedLogits):E3} off");
        var cosine = Cosine(torch.cat([.. gradients.Select(g => g.flatten())]), torch.cat([.. mixedGradients.Select(g => g.flatten())]));
        Assert.True(cosine > 0.95, $"the gradient points elsewhere: cosine {cosine:F4}");
    }

    [Fact]
    public void Should_Give_The_Same_Step_With_Input_Gradients_As_Convolutions()
    {
        // Given one seeded network twice in bfloat16 training, with the input gradients of kernels 19 and 39 as forward
        // convolutions (InputGradientConvolution) and with libtorch's backward pass for all
        using var leaks = new TensorLeakCheck();
        var options = new InceptionTimeOptions();
        var (convolved, reference) = Seeded.Build(22, () => (
            new InceptionTime(1, 3, options with { MixedGradientConvolutionFromKernelSize = 19 }),
            new InceptionTime(1, 3, options with { MixedGradientConvolutionFromKernelSize = int.MaxValue })));
        using var _ = convolved;
        using var __ = reference;
        reference.load_state_dict(convolved.state_dict());
        convolved.train();
        reference.train();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([8, 1, 80], generator: new torch.Generator(9)); // (B, C, T)

        // When each takes a step's forward and backward pass
        var (logits, gradients) = Step(convolved, x, torch.ScalarType.BFloat16);
        var (referenceLogits, referenceGradients) = Step(reference, x, torch.ScalarType.BFloat16);

        // Then the logits are the same (the same convolutions forward) and so is every parameter's gradient, within
        // bfloat16's rounding: the bottlenecks of modules 2-6 get theirs through the convolved input gradients, summed
        // in another order (so not bit for bit, or the path was not taken)
        Assert.Equal(0, RelativeError(referenceLogits, logits));
        var all = torch.cat([.. gradients.Select(g => g.flatten())]);
        var referenceAll = torch.cat([.. referenceGradients.Select(g => g.flatten())]);
        Assert.True((all - referenceAll).abs().max().item<float>() > 0, "the gradients are bit for bit libtorch's: the convolved path was not taken");
        var cosine = Cosine(referenceAll, all);
        Assert.True(cosine > 0.99, $"the gradient points elsewhere: cosine {cosine:F4}");
        for (var i = 0; i < gradients.Length; i++)
            Assert.True(RelativeError(referenceGradients[i], gradients[i]) < 0.1, $"parameter {i}: {RelativeError(referenceGradients[i], gradients[i]):E3} off");
    }

    private static (torch.Tensor Logits, torch.Tensor[] Gradients) Step(InceptionTime model, torch.Tensor x, torch.ScalarType type)
    {
        model.ConvolutionType = type;
        try
        {
            model.zero_grad();
            var logits = model.call(x); // (B, K)
            (logits * logits).sum().backward();
            return (logits.detach(), [.. model.parameters().Select(p => p.grad!.clone())]);
        }
        finally
        {
            model.ConvolutionType = torch.ScalarType.Float32;
            model.zero_grad();
        }
    }

    private static double RelativeError(torch.Tensor expected, torch.Tensor actual) =>
        ((actual - expected).abs().max() / expected.abs().max()).item<float>();

    private static double Cosine(torch.Tensor a, torch.Tensor b) =>
        ((a * b).sum() / (a.norm() * b.norm() + 1e-30)).item<float>();
}
