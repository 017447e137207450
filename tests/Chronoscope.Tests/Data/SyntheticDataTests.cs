using Chronoscope.Data;

namespace Chronoscope.Tests.Data;

public sealed class SyntheticDataTests
{
    [Fact]
    public void Should_Give_The_PyTorch_References_Known_Values()
    {
        // Given the reference's self-test values: synthetic(4, 2, 16, 3, 42) and synthetic(50, 1, 150, 2, 42)
        var small = SyntheticData.Create(4, 2, 16, 3, 42);
        var gunPointSize = SyntheticData.Create(50, 1, 150, 2, 42);

        // Then the float32 values sum (in float64) and a chosen value are bit-identical to numpy's
        Assert.Equal(3.6940870634280145, Sum(small));
        Assert.Equal(-0.9956883788108826, (double)small.Series(1)[1 * 16 + 5]);
        Assert.Equal(["0", "1", "2", "0"], small.Labels!);
        Assert.Equal(92.10611227872778, Sum(gunPointSize));
    }

    private static double Sum(TimeSeriesDataset data)
    {
        var sum = 0.0;
        foreach (var v in data.Values)
            sum += v;
        return sum;
    }
}
