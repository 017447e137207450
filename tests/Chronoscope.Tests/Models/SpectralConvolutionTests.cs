using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Chronoscope.Tests.Models;

public sealed class SpectralConvolutionTests
{
    [Theory]
    [InlineData(new[] { 39, 19, 9 }, 500)] // the defaults at FordA's length
    [InlineData(new[] { 39, 19, 9 }, 96)]
    [InlineData(new[] { 40, 20, 10 }, 150)] // the paper's even kernels pad one step more after than before
    [InlineData(new[] { 39, 19, 9 }, 7)]    // a series shorter than the kernel: the padding covers more than the series
    [InlineData(new[] { 5, 40, 2 }, 33)]    // any order, the longest kernel not first
    public void Should_Give_The_Padded_Branch_Convolutions_Concatenated(int[] kernels, int length)
    {
        // Given an input, each branch's weight and bias, and libtorch's direct convolutions of the explicitly padded
        // input in float64 as the reference
        using var leaks = new TensorLeakCheck();
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(7);
        var x = torch.randn([3, 16, length], generator: generator); // (B, C, T)
        var branches = kernels.Select((k, i) => (Weight: torch.randn([8 + 4 * i, 16, k], generator: generator) / Math.Sqrt(16 * k),
                                                 Bias: torch.randn([8 + 4 * i], generator: generator))).ToArray();
        var exact = Direct(x.to(torch.float64), [.. branches.Select(b => (b.Weight.to(torch.float64), b.Bias.to(torch.float64)))], kernels);

        // When the spectral convolution convolves them all at once in float32
        using var spectral = new SpectralConvolution(kernels);
        var output = spectral.Convolve(x, branches);

        // Then it has every branch's filters in order, the series' length, and the float64 values to float32
        // rounding (the direct float32 convolutions are measured no closer)
        Assert.Equal([3, branches.Sum(b => b.Weight.shape[0]), length], output.shape);
        var error = output.to(torch.float64).sub(exact).abs().max().item<double>();
        var direct = Direct(x, branches, kernels).to(torch.float64).sub(exact).abs().max().item<double>();
        var size = exact.abs().max().item<double>();
        Assert.True(error <= 1e-6 * size && error <= 2 * direct + 1e-7 * size, $"off by {error:E3} (direct float32: {direct:E3}) of values up to {size:E3}");
    }

    [Fact]
    public void Should_Transform_The_Kernel_Again_When_The_Weights_Change()
    {
        // Given a spectral convolution that has convolved once with some weights (and kept their spectrum)
        using var leaks = new TensorLeakCheck();
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(3);
        int[] kernels = [39, 19, 9];
        var x = torch.randn([2, 16, 60], generator: generator);
        var branches = kernels.Select(k => (Weight: torch.randn([16, 16, k], generator: generator), Bias: torch.zeros(16))).ToArray();
        using var spectral = new SpectralConvolution(kernels);
        var first = spectral.Convolve(x, branches);

        // When one tap of one branch changes in place (as loading a state dict does), and the length changes
        branches[1].Weight[3, 5, 0] = branches[1].Weight[3, 5, 0] + 1;
        var changed = spectral.Convolve(x, branches);
        var longer = spectral.Convolve(torch.cat([x, x], 2), branches);

        // Then each result is the direct convolution of the weights as they are now, not of the kept spectrum
        Assert.True(changed.sub(first).abs().max().item<float>() > 0.1, "the changed tap changed nothing");
        Assert.True(changed.sub(Direct(x, branches, kernels)).abs().max().item<float>() < 1e-4);
        Assert.True(longer.sub(Direct(torch.cat([x, x], 2), branches, kernels)).abs().max().item<float>() < 1e-4);
    }

    [Theory]
    [InlineData(519, 540)]   // 520 = 2³·5·13 and 525 = 3·5²·7 are passed over
    [InlineData(2019, 2048)] // 2025 = 3⁴·5² is odd
    [InlineData(115, 120)]
    [InlineData(169, 180)]
    [InlineData(1, 4)]
    [InlineData(4, 4)]
    [InlineData(13, 16)]     // 15 = 3·5 has no factor 2
    public void Should_Choose_The_Least_Transform_Length_With_Small_Factors(long minimum, long expected) =>
        Assert.Equal(expected, SpectralConvolution.TransformSize(minimum));

    [Fact]
    public void Should_Take_The_Spectral_Path_In_Folded_Prediction_Only_And_Agree_With_The_Direct_One()
    {
        // Given a seeded network (2 input channels: every module has a 32-channel bottleneck) in eval mode, and the
        // same network in float64 as the exact reference
        using var leaks = new TensorLeakCheck();
        using var model = Seeded(2, 3);
        using var exact = Seeded(2, 3);
        exact.to(torch.float64);
        model.eval();
        exact.eval();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([4, 2, 120], generator: new torch.Generator(5));

        // When it predicts with the branches by FFT (the default) and by direct convolutions
        torch.Tensor Predict(bool spectral)
        {
            model.SpectralBranches = spectral;
            using var noGrad = torch.no_grad();
            return model.call(x);
        }
        var byFft = Predict(spectral: true);
        var direct = Predict(spectral: false);
        model.SpectralBranches = true;
        torch.Tensor reference;
        using (torch.no_grad())
            reference = exact.call(x.to(torch.float64));

        // Then both are the float64 logits to float32 rounding, and they are not the same numbers (the paths differ)
        var size = reference.abs().max().item<double>();
        var error = byFft.to(torch.float64).sub(reference).abs().max().item<double>();
        var directError = direct.to(torch.float64).sub(reference).abs().max().item<double>();
        Assert.True(error <= 1e-5 * size && error <= 4 * directError, $"FFT {error:E3}, direct {directError:E3} of logits up to {size:E3}");
        Assert.NotEqual(0, byFft.sub(direct).abs().max().item<float>());

        // And with gradients (explanations) the network computes as the reference does: the same numbers either way
        torch.Tensor WithGradient(bool spectral)
        {
            model.SpectralBranches = spectral;
            return model.call(x.detach().requires_grad_(true)).detach();
        }
        Assert.Equal(0, WithGradient(true).sub(WithGradient(false)).abs().max().item<float>());
        model.SpectralBranches = true;
    }

    [Fact]
    public void Should_Leave_Inputs_It_Does_Not_Gain_On_To_The_Direct_Convolutions()
    {
        using var scope = torch.NewDisposeScope();
        Assert.True(SpectralConvolution.Applies(torch.zeros(2, 32, 500)));
        Assert.False(SpectralConvolution.Applies(torch.zeros(2, 1, 500)));       // the first module's one channel
        Assert.False(SpectralConvolution.Applies(torch.zeros(2, 32, 5000)));     // longer than measured
        Assert.False(SpectralConvolution.Applies(torch.zeros(2, 32, 500, dtype: torch.bfloat16)));
        Assert.True(SpectralConvolution.Pays([39, 19, 9]));
        Assert.False(SpectralConvolution.Pays([9, 5, 3]));
    }

    /// <summary>Each branch's convolution of the input padded as 'same' asks, with its bias, concatenated: (B, ΣF, T).</summary>
    private static torch.Tensor Direct(torch.Tensor x, IReadOnlyList<(torch.Tensor Weight, torch.Tensor Bias)> branches, int[] kernels) =>
        torch.cat([.. branches.Select((b, i) =>
        {
            var (before, after) = InceptionModule.SamePadding(kernels[i]);
            return functional.conv1d(functional.pad(x, [before, after]), b.Weight, b.Bias);
        })], 1);

    private static InceptionTime Seeded(int channels, int classes)
    {
        using var generatorLock = TorchRuntime.LockGenerator();
        torch.manual_seed(17);
        var model = new InceptionTime(channels, classes);
        // Far-from-identity BatchNorm statistics, so the folded weights and biases are not the raw ones
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        foreach (var (name, buffer) in model.named_buffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal))
                buffer.copy_(torch.randn(buffer.shape) * 0.3);
            else if (name.EndsWith("running_var", StringComparison.Ordinal))
                buffer.copy_(torch.rand(buffer.shape) + 0.5);
        }
        return model;
    }
}
