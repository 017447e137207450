using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;
using TorchSharp;

namespace Chronoscope.Tests.Models;

public sealed class PoolWindowTests
{
    [Fact]
    public void Should_Choose_The_Steps_Libtorchs_Pool_With_Indices_Chooses_At_Every_Length_Ties_And_Non_Finite_Values_Included()
    {
        // Given rows of every length from 2 to 41 (scalar ends, whole vectors and the overlapping last one) with the
        // ties a ReLU makes, equal neighbours, NaN and infinities
        using var leaks = new TensorLeakCheck();
        var random = new Random(11);
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0, 0, 2, 2];
        for (var length = 2; length <= 41; length++)
        {
            using var scope = torch.NewDisposeScope();
            var values = Enumerable.Range(0, 3 * 5 * length)
                .Select(_ => random.Next(8) == 0 ? special[random.Next(special.Length)] : Math.Max(0, random.Next(-2, 4)))
                .Select(v => (float)v).ToArray();
            var x = torch.tensor(values).reshape(3, 5, length); // (B, C, T)

            // When the window steps are chosen here and by libtorch
            var index = PoolWindow.Index(x);
            var (_, expected) = torch.nn.functional.max_pool1d_with_indices(x, 3, 1, 1);

            // Then they are the same steps
            Assert.True(index.eq(expected).all().item<bool>(), $"length {length}: {string.Join(",", index.flatten().data<long>().ToArray())} against {string.Join(",", expected.flatten().data<long>().ToArray())}");
        }
    }

    [Fact]
    public void Should_Take_Only_Contiguous_Float32_Series_Of_Two_Steps_Or_More()
    {
        // Given inputs this pass cannot read as rows of float32 steps
        using var leaks = new TensorLeakCheck();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 3, 10);

        // Then only the contiguous float32 one of two steps or more is taken here
        Assert.True(PoolWindow.Applies(x));
        Assert.False(PoolWindow.Applies(x.transpose(1, 2)));
        Assert.False(PoolWindow.Applies(x.to(torch.float64)));
        Assert.False(PoolWindow.Applies(torch.randn(2, 3, 1)));
    }
}
