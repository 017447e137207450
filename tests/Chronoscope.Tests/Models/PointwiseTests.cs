using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;

namespace Chronoscope.Tests.Models;

public sealed class PointwiseTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(1, true)]
    [InlineData(16, false)]
    [InlineData(16, true)]
    public void Should_Convolve_As_A_One_By_One_Convolution(int channels, bool withBias)
    {
        // Given an input, a 1×1 convolution's weight and optionally a bias
        using var leaks = new TensorLeakCheck();
        using var scope = torch.NewDisposeScope();
        torch.Tensor Random(params long[] shape) => torch.tensor(Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b))
            .Select(i => (float)Math.Sin(0.37 * i + channels)).ToArray()).reshape(shape);
        var x = Random(4, channels, 30);     // (B, C, T)
        var weight = Random(8, channels, 1); // (F, C, 1)
        var bias = withBias ? Random(8) : null;
        var expected = torch.nn.functional.conv1d(x, weight, bias); // (B, F, T)

        // When it is computed in float32 (a product for one channel, oneDNN's convolution otherwise) and, without
        // gradients, in bfloat16 (a matrix product)
        var single = Pointwise.Convolve(x, weight, bias);
        torch.Tensor low;
        using (torch.no_grad())
            low = Pointwise.Convolve(x.to(torch.ScalarType.BFloat16), weight.to(torch.ScalarType.BFloat16), bias?.to(torch.ScalarType.BFloat16));

        // Then float32 agrees with the convolution to its rounding, and bfloat16 to bfloat16's (8 bits of mantissa)
        Assert.Equal(expected.shape, single.shape);
        Assert.True((single - expected).abs().max().item<float>() <= 1e-5f * (1 + expected.abs().max().item<float>()));
        Assert.Equal(torch.ScalarType.BFloat16, low.dtype);
        var error = (low.to(torch.ScalarType.Float32) - expected).abs().max().item<float>() / expected.abs().max().item<float>();
        Assert.True(error < 0.02, $"bfloat16 {error:E2} off");
    }
}
