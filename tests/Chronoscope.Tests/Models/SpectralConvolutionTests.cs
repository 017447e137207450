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
    [InlineData(new[] { 39, 19, 9 }, 1)]
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
    [InlineData(new[] { 39, 19, 9 }, 150)]
    [InlineData(new[] { 40, 20, 10 }, 31)]
    public void Should_Give_The_Gradients_Of_The_Direct_Convolutions_In_Training(int[] kernels, int length)
    {
        // Given an input, bias-free branch weights and an output gradient, and the direct convolutions' output and
        // gradients in float64 as the reference
        using var leaks = new TensorLeakCheck();
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(9);
        var x = torch.randn([2, 16, length], generator: generator);
        var weights = kernels.Select(k => torch.randn([8, 16, k], generator: generator) / Math.Sqrt(16 * k)).ToArray();
        var g = torch.randn([2, 8 * kernels.Length, length], generator: generator);
        var none = torch.zeros(8, dtype: torch.float64);
        var exact = Gradients(x.to(torch.float64), [.. weights.Select(w => w.to(torch.float64))], g.to(torch.float64),
            (x, ws) => Direct(x, [.. ws.Select(w => (w, none))], kernels));

        // When the spectral convolution for training computes them by autograd through its transforms
        using var spectral = new SpectralConvolution(kernels);
        var ours = Gradients(x, weights, g, spectral.ConvolveForTraining);

        // Then the output, the input's gradient and every weight's gradient are the float64 values to float32 rounding
        for (var i = 0; i < exact.Length; i++)
        {
            var size = exact[i].abs().max().item<double>();
            var error = ours[i].to(torch.float64).sub(exact[i]).abs().max().item<double>();
            Assert.True(error <= 1e-5 * size, $"tensor {i} (output, input gradient, weight gradients) off by {error:E3} of values up to {size:E3}");
        }
    }

    /// <summary>The output of <paramref name="convolve"/>, then the gradients of ⟨output, g⟩ for the input and each weight.</summary>
    private static torch.Tensor[] Gradients(torch.Tensor x, torch.Tensor[] weights, torch.Tensor g, Func<torch.Tensor, IReadOnlyList<torch.Tensor>, torch.Tensor> convolve)
    {
        var input = x.detach().requires_grad_(true);
        var parameters = weights.Select(w => w.detach().requires_grad_(true)).ToArray();
        var output = convolve(input, parameters);
        output.mul(g).sum().backward();
        return [output.detach(), input.grad!, .. parameters.Select(p => p.grad!)];
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
        using var model = Seeded();
        using var exact = Seeded();
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
    }

    [Fact]
    public void Should_Train_With_The_Parameter_Gradients_Of_The_Direct_Path()
    {
        // Given a seeded network in training mode and the same network in float64
        using var leaks = new TensorLeakCheck();
        using var model = Seeded();
        using var exact = Seeded();
        exact.to(torch.float64);
        using var scope = torch.NewDisposeScope();
        var x = torch.randn([4, 2, 90], generator: new torch.Generator(8));
        var target = torch.tensor(new long[] { 0, 1, 2, 1 });

        // When a cross-entropy loss is back-propagated with the branches by FFT (the default) and by direct convolutions
        torch.Tensor[] Step(InceptionTime network, torch.Tensor input, bool spectral)
        {
            network.SpectralBranches = spectral;
            network.zero_grad();
            functional.cross_entropy(network.call(input), target).backward();
            return [.. network.parameters().Select(p => p.grad!.detach().clone())];
        }
        var byFft = Step(model, x, spectral: true);
        var direct = Step(model, x, spectral: false);
        var reference = Step(exact, x.to(torch.float64), spectral: true); // float64: the direct path whatever the flag

        // Then every parameter's gradient is the float64 one to float32 rounding, no further off than the direct path's
        var (worst, worstDirect) = (0.0, 0.0);
        for (var i = 0; i < reference.Length; i++)
        {
            var size = Math.Max(reference[i].abs().max().item<double>(), 1e-12);
            worst = Math.Max(worst, byFft[i].to(torch.float64).sub(reference[i]).abs().max().item<double>() / size);
            worstDirect = Math.Max(worstDirect, direct[i].to(torch.float64).sub(reference[i]).abs().max().item<double>() / size);
        }
        Assert.True(worst <= 1e-4 && worst <= 4 * worstDirect, $"relative error: FFT {worst:E3}, direct {worstDirect:E3}");
        Assert.NotEqual(0, byFft.Zip(direct).Max(pair => pair.First.sub(pair.Second).abs().max().item<float>()));
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

    private static InceptionTime Seeded() => BatchNormFoldingTests.Seeded(2, 3, new InceptionTimeOptions(), seed: 17);
}
