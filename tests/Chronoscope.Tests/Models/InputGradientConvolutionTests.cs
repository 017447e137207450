using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;
using static Chronoscope.Tests.Models.GradientConvolutionTests;
using static TorchSharp.torch.nn;

namespace Chronoscope.Tests.Models;

public sealed class InputGradientConvolutionTests
{
    [Theory]
    [InlineData(39, 19, 19, 32, 8, "float32")]
    [InlineData(39, 19, 19, 32, 8, "bfloat16")]
    [InlineData(19, 9, 9, 16, 1, "bfloat16")]  // the first module: one input channel (libtorch's convolution then)
    [InlineData(4, 1, 2, 3, 2, "float32")]     // an even kernel pads one step more after than before
    [InlineData(40, 19, 20, 16, 3, "bfloat16")]
    [InlineData(39, 19, 19, 32, 32, "bfloat16")]
    [InlineData(39, 19, 19, 32, 16, "bfloat16")]
    public void Should_Give_The_Output_And_Gradients_Of_Libtorchs_Convolution(int kernel, long before, long after, int filters, int channels, string type)
    {
        // Given an input, a kernel and an output gradient in the type trained in, and libtorch's own padded
        // convolution in float64 as the reference
        using var leaks = new TensorLeakCheck();
        using var scope = torch.NewDisposeScope();
        var scalar = type == "float32" ? torch.float32 : torch.bfloat16;
        var generator = new torch.Generator(11);
        var x = torch.randn([3, channels, 50], generator: generator).to(scalar); // (B, C, T)
        var w = (torch.randn([filters, channels, kernel], generator: generator) / Math.Sqrt(channels * kernel)).to(scalar); // (F, C, k)
        var g = torch.randn([3, filters, 50], generator: generator).to(scalar); // (B, F, T)
        torch.Tensor Libtorch(torch.Tensor x, torch.Tensor w) => functional.conv1d(functional.pad(x, [before, after]), w);
        var exact = Gradients(x.to(torch.float64), w.to(torch.float64), g.to(torch.float64), Libtorch);

        // When it convolves with the input gradient of its own, and libtorch's convolution does
        var ours = Gradients(x, w, g, (x, w) => InputGradientConvolution.Convolve(x, w, (before, after)));
        var theirs = Gradients(x, w, g, Libtorch);

        // Then the output and both gradients are as close to float64's as libtorch's are (or within a few roundings
        // of the type); the output and the weight gradient are libtorch's own
        Assert.Equal(0, Difference(ours.Output, theirs.Output));
        Assert.Equal(0, Difference(ours.Weight, theirs.Weight));
        var rounding = type == "float32" ? 1e-6 : 1e-2;
        Assert.Equal(exact.Input.shape, ours.Input.shape);
        var size = exact.Input.abs().max().item<double>();
        var bound = Math.Max(2 * TrustedError(Difference(theirs.Input, exact.Input), size), rounding * size);
        Assert.True(Difference(ours.Input, exact.Input) <= bound,
            $"input gradient: {Difference(ours.Input, exact.Input):E3} off float64 (libtorch's: {Difference(theirs.Input, exact.Input):E3}; size {size:E3})");
    }

    [Fact]
    public void Should_Give_Each_Gradient_Alone()
    {
        // Given an input and a kernel, one of them needing a gradient at a time
        using var leaks = new TensorLeakCheck();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 1, 30);
        var w = torch.randn(4, 1, 9);

        // When the summed output is backpropagated to the weight only, then to the input only
        var weight = w.detach().requires_grad_();
        InputGradientConvolution.Convolve(x, weight, (4, 4)).sum().backward();
        var input = x.detach().requires_grad_();
        InputGradientConvolution.Convolve(input, w, (4, 4)).sum().backward();

        // Then the weight's gradient is the sum of each window of the padded input, and the input's is, at each step,
        // the sum of the kernel taps that reach it (all of them inside, fewer near the ends)
        var expectedWeight = functional.pad(x, [4, 4]).unfold(2, 9, 1).sum([0, 2]).expand(4, 1, 9); // (F, C, k)
        Assert.True(torch.allclose(weight.grad!, expectedWeight, rtol: 1e-5, atol: 1e-5));
        var taps = w.sum(dim: 0).squeeze(0); // (k)
        var expectedInput = torch.stack(Enumerable.Range(0, 30).Select(t => taps.narrow(0, Math.Max(0, t - 25), Math.Min(9, t + 5) - Math.Max(0, t - 25)).sum()))
            .expand(2, 1, 30);
        Assert.True(torch.allclose(input.grad!, expectedInput, rtol: 1e-5, atol: 1e-5), input.grad!.ToString(TorchSharp.TensorStringStyle.Julia));
    }
}
