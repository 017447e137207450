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
        for (var length = 2; length <= 41; length++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.tensor(Rows(random, 3 * 5 * length)).reshape(3, 5, length); // (B, C, T)

            // When the window steps are chosen here and by libtorch
            var (pooled, offsets) = PoolWindow.Forward(x);
            var index = offsets.to(torch.ScalarType.Int64) + torch.arange(-1L, length - 1); // the input step each step took
            var (expectedValues, expected) = torch.nn.functional.max_pool1d_with_indices(x, 3, 1, 1);

            // Then they are the same steps, and the pooled values are those steps' values (NaN where libtorch's is)
            Assert.True(index.eq(expected).all().item<bool>(), $"length {length}: {string.Join(",", index.flatten().data<long>().ToArray())} against {string.Join(",", expected.flatten().data<long>().ToArray())}");
            Assert.True(SameValues(pooled, expectedValues), $"length {length}: pooled values differ");
        }
    }

    [Fact]
    public void Should_Pass_Back_Libtorchs_Gradient_Exactly_At_Every_Length()
    {
        // Given the rows of the test above, needing a gradient, and an upstream gradient of values whose sums round
        using var leaks = new TensorLeakCheck();
        var random = new Random(12);
        for (var length = 2; length <= 41; length++)
        {
            using var scope = torch.NewDisposeScope();
            var count = 3 * 5 * length;
            var values = Rows(random, count);
            var upstream = torch.tensor(Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2e4 - 1e4) * 1e-3f).ToArray()).reshape(3, 5, length);
            var x = torch.tensor(values).reshape(3, 5, length).requires_grad_(true); // (B, C, T)
            var reference = torch.tensor(values).reshape(3, 5, length).requires_grad_(true);

            // When both pool and pass the gradient back
            (PoolWindow.Pool(x) * upstream).nan_to_num(0).sum().backward();
            (torch.nn.functional.max_pool1d(reference, 3, 1, 1) * upstream).nan_to_num(0).sum().backward();

            // Then the input gradients are the same to the bit, every step that took two or three windows' included
            Assert.True(x.grad!.equal(reference.grad!).all().item<bool>(), $"length {length}: gradients differ by up to {(x.grad! - reference.grad!).abs().max().item<float>()}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)] // rows split unevenly between threads
    public void Should_Pool_BFloat16_To_The_Bits_Of_Libtorchs_Float32_Pool_Narrowed_At_Every_Length(int threads)
    {
        // Given bfloat16 rows of every length from 2 to 41 (sixteen steps a vector here: scalar ends, whole vectors and
        // the overlapping last one) and of 500, with ties, NaN, infinities, signed zeros and values bfloat16 rounds
        using var leaks = new TensorLeakCheck();
        var random = new Random(13);
        foreach (var length in Enumerable.Range(2, 40).Append(500))
        {
            using var scope = torch.NewDisposeScope();
            var values = Rows(random, 3 * 5 * length).Select(v => random.Next(10) == 0 ? -0f : v + (float)random.NextDouble() * (random.Next(2) == 0 ? 1e-3f : 0)).ToArray();
            var x = torch.tensor(values).reshape(3, 5, length).to(torch.ScalarType.BFloat16); // (B, C, T)

            // When it is pooled here and by widening, libtorch's pool and narrowing
            var pooled = PoolWindow.PoolBFloat16(x, threads);
            var expected = torch.nn.functional.max_pool1d(x.to(torch.ScalarType.Float32), 3, 1, 1).to(torch.ScalarType.BFloat16);

            // Then every value has the same bits
            Assert.Equal(torch.ScalarType.BFloat16, pooled.dtype);
            Assert.Equal(expected.shape, pooled.shape);
            Assert.True(pooled.bytes.SequenceEqual(expected.bytes), $"length {length}: pooled values differ");
        }
        using var emptyScope = torch.NewDisposeScope();
        Assert.Equal([0L, 5, 20], PoolWindow.PoolBFloat16(torch.zeros(0, 5, 20, torch.ScalarType.BFloat16), threads).shape); // a batch of no series
    }

    [Fact]
    public void Should_Take_Only_Contiguous_BFloat16_Series_Of_Two_Steps_Or_More_For_The_BFloat16_Pool()
    {
        // Given inputs the bfloat16 pass cannot read as rows of bfloat16 steps
        using var leaks = new TensorLeakCheck();
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 3, 10).to(torch.ScalarType.BFloat16);

        // Then only the contiguous bfloat16 one of two steps or more is taken
        Assert.True(PoolWindow.AppliesToBFloat16(x));
        Assert.False(PoolWindow.AppliesToBFloat16(x.transpose(1, 2)));
        Assert.False(PoolWindow.AppliesToBFloat16(x.to(torch.float32)));
        Assert.False(PoolWindow.AppliesToBFloat16(torch.randn(2, 3, 1).to(torch.ScalarType.BFloat16)));
    }

    // Values 0-3 with the ties a ReLU makes, and one in eight a NaN, an infinity, a zero or a 2.
    private static float[] Rows(Random random, int count)
    {
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0, 0, 2, 2];
        return [.. Enumerable.Range(0, count).Select(_ => random.Next(8) == 0 ? special[random.Next(special.Length)] : Math.Max(0, random.Next(-2, 4)))];
    }

    private static bool SameValues(torch.Tensor actual, torch.Tensor expected) =>
        actual.isnan().equal(expected.isnan()).all().item<bool>() && actual.nan_to_num(0).equal(expected.nan_to_num(0)).all().item<bool>();

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
