using Chronoscope.Training;

namespace Chronoscope.Tests.Training;

public sealed class ScheduleTests
{
    [Theory]
    [InlineData(0.0, 1e-3 / 25)]
    [InlineData(0.125, (1e-3 / 25 + 1e-3) / 2)]   // half-way up the cosine: the mean of its ends
    [InlineData(0.25, 1e-3)]
    [InlineData(0.625, (1e-3 + 1e-8) / 2)]        // half-way down
    [InlineData(1.0, 1e-8)]
    public void Should_Follow_fastais_One_Cycle_Learning_Rate(double position, double expected)
    {
        var schedule = Schedule.OneCycleLearningRate(1e-3);

        Assert.Equal(expected, schedule.At(position), 1e-15);
    }

    [Fact]
    public void Should_Follow_The_Cosine_Formula_At_An_Arbitrary_Step()
    {
        // Given step 10 of 100 at lr 1e-3: pos 0.1 is 0.4 of the warm-up; cos from 4e-5 to 1e-3
        var expected = 4e-5 + (1 + Math.Cos(Math.PI * (1 - 0.4))) * (1e-3 - 4e-5) / 2;

        Assert.Equal(expected, Schedule.OneCycleLearningRate(1e-3).At(10 / 100.0), 1e-15);
    }

    [Theory]
    [InlineData(0.0, 0.95)]
    [InlineData(0.25, 0.85)]
    [InlineData(0.625, 0.90)]
    [InlineData(1.0, 0.95)]
    public void Should_Cycle_Momentum_The_Other_Way(double position, double expected)
    {
        Assert.Equal(expected, Schedule.OneCycleMomentum().At(position), 1e-12);
    }

    [Fact]
    public void Should_Sweep_Geometrically()
    {
        var sweep = Schedule.Exponential(1e-7, 10);

        Assert.Equal(1e-7, sweep.At(0), 1e-20);
        Assert.Equal(1e-3, sweep.At(0.5), 1e-15);
        Assert.Equal(10, sweep.At(1), 1e-12);
    }
}
