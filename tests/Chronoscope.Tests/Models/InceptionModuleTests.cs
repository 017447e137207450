using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;

namespace Chronoscope.Tests.Models;

public sealed class InceptionModuleTests
{
    [Fact]
    public void Should_Pool_With_Gradients_As_Libtorchs_Max_Pool_Does_Ties_Included()
    {
        // Given a module and an input that needs a gradient, with the ties a ReLU makes (runs of zeros) and equal
        // neighbours planted: [3, 3, 1], [2, 5, 5], [4, 4, 4] windows, plus random values
        using var leaks = new TensorLeakCheck();
        using var module = new InceptionModule(4, 8, [9, 5, 3], bottleneckSize: 8, bottleneckBias: false, explicitPaddingFrom: 9, gradientConvolutionFrom: int.MaxValue, mixedGradientConvolutionFrom: int.MaxValue);
        using var scope = torch.NewDisposeScope();
        var random = new Random(5);
        var values = Enumerable.Range(0, 3 * 4 * 40).Select(_ => (float)Math.Round(random.NextDouble() * 4 - 2, 1)).ToArray();
        float[] planted = [3, 3, 1, 2, 5, 5, 4, 4, 4, 0, 0, 0, -1, -1, 7];
        Array.Copy(planted, 0, values, 10, planted.Length);
        var data = torch.tensor(values).reshape(3, 4, 40).relu(); // (B, C, T)
        var x = data.clone().requires_grad_(true);
        var reference = data.clone().requires_grad_(true);
        var upstream = torch.tensor(Enumerable.Range(0, 3 * 4 * 40).Select(i => (float)(1 + i % 7)).ToArray()).reshape(3, 4, 40);

        // When both pool and pass back the same upstream gradient
        var pooled = module.MaxPool(x);
        var expected = torch.nn.functional.max_pool1d(reference, 3, 1, 1);
        (pooled * upstream).sum().backward();
        (expected * upstream).sum().backward();

        // Then the values and the input gradient are libtorch's exactly: each window's gradient goes to its first maximum
        Assert.True(pooled.equal(expected).all().item<bool>(), "pooled values differ");
        Assert.True(x.grad!.equal(reference.grad!).all().item<bool>(), $"gradients differ by up to {(x.grad! - reference.grad!).abs().max().item<float>()}");
        Assert.True(reference.grad!.eq(0).sum().item<long>() > 0, "no step went without gradient: the data has no real ties");
    }

    [Fact]
    public void Should_Pool_Non_Finite_Values_Without_Pointing_Outside_The_Series()
    {
        // Given an input that needs a gradient with NaN and infinities at both ends and inside
        using var leaks = new TensorLeakCheck();
        using var module = new InceptionModule(1, 8, [3], bottleneckSize: 0, bottleneckBias: false, explicitPaddingFrom: 9, gradientConvolutionFrom: int.MaxValue, mixedGradientConvolutionFrom: int.MaxValue);
        using var scope = torch.NewDisposeScope();
        float[] values = [float.NaN, 1, 2, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, 3, float.PositiveInfinity, 0, float.NaN];
        var x = torch.tensor(values).reshape(1, 1, values.Length).requires_grad_(true); // (B, C, T)

        // When it pools and passes a gradient back
        var pooled = module.MaxPool(x);
        pooled.sum().backward();

        // Then windows without a NaN take libtorch's values, and all of the gradient lands inside the series
        float[] expected = [float.NaN, 2, 2, 2, float.NegativeInfinity, 3, float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity, float.NaN];
        var actual = pooled.detach().flatten().data<float>().ToArray();
        for (var t = 1; t < values.Length - 1; t++)
        {
            if (!float.IsNaN(values[t - 1]) && !float.IsNaN(values[t + 1]))
                Assert.Equal(expected[t], actual[t]);
        }
        Assert.Equal(values.Length, x.grad!.sum().item<float>());
    }
}
