using Chronoscope.Models;
using Chronoscope.Tests.TestSupport;

namespace Chronoscope.Tests.Models;

public sealed class NetworkLimitsTests
{
    [Theory]
    [InlineData(1, 2, 6, 32, 32, false)]
    [InlineData(24, 6, 6, 32, 32, false)]
    [InlineData(3, 4, 2, 4, 0, false)]
    [InlineData(5, 3, 7, 16, 8, true)]
    public void Should_Estimate_The_Parameters_From_The_Shape_Alone_Within_A_Few_Percent_Above(int channels, int classes, int depth, int filters, int bottleneck, bool paper)
    {
        using var leaks = new TensorLeakCheck();
        var options = (paper ? InceptionTimeOptions.Paper : new InceptionTimeOptions()) with { Depth = depth, Filters = filters, BottleneckSize = bottleneck };
        using var model = new InceptionTime(channels, classes, options);

        var estimate = NetworkLimits.Parameters(channels, classes, options);

        // An upper bound (never lets a network past the limit that is over it), and a close one
        Assert.InRange(estimate, model.ParameterCount, model.ParameterCount * 1.05);
    }

    [Fact]
    public void Should_Refuse_To_Build_A_Network_Beyond_The_Limit_Before_Allocating_It()
    {
        var options = new InceptionTimeOptions { Depth = 100, Filters = 1024 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new InceptionTime(1, 2, options));

        Assert.Contains("more than 100,000,000", error.Message, StringComparison.Ordinal);
    }
}
