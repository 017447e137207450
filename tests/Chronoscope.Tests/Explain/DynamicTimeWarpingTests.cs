using Chronoscope.Explain;

namespace Chronoscope.Tests.Explain;

public sealed class DynamicTimeWarpingTests
{
    [Fact]
    public void Should_Match_Distances_Computed_By_Hand()
    {
        // Given a = 0 1 0 0 0 and b = 0 0 0 1 0: the peak is two steps apart
        float[] a = [0, 1, 0, 0, 0], b = [0, 0, 0, 1, 0];

        // Then step to step (band 0) both peaks cost 1: sqrt(2). Within one step, a's peak still meets only zeros of b
        // and b's peak only zeros of a, two distinct cells: sqrt(2). Within two steps the peaks meet: 0. No band: 0.
        Assert.Equal(Math.Sqrt(2), DynamicTimeWarping.Distance(a, b, band: 0), 12);
        Assert.Equal(Math.Sqrt(2), DynamicTimeWarping.Distance(a, b, band: 1), 12);
        Assert.Equal(0, DynamicTimeWarping.Distance(a, b, band: 2), 12);
        Assert.Equal(0, DynamicTimeWarping.Distance(a, b), 12);

        // And 1 2 3 against 2 3 3: Euclidean 1 + 1 + 0 = 2; warped, (1,2) then 2-2, 3-3, 3-3: only the first pair costs 1
        Assert.Equal(Math.Sqrt(2), DynamicTimeWarping.Distance([1, 2, 3], [2, 3, 3], band: 0), 12);
        Assert.Equal(1, DynamicTimeWarping.Distance([1, 2, 3], [2, 3, 3], band: 1), 12);

        // And 0 0 4 against 0 3 5: step to step 0 + 9 + 1 = 10; warped, a's two 0s meet b's 0 and a's 4 meets b's 3 and
        // 5: 0 + 0 + 1 + 1 = 2
        Assert.Equal(Math.Sqrt(10), DynamicTimeWarping.Distance([0, 0, 4], [0, 3, 5], band: 0), 12);
        Assert.Equal(Math.Sqrt(2), DynamicTimeWarping.Distance([0, 0, 4], [0, 3, 5], band: 1), 12);
    }

    [Fact]
    public void Should_Equal_The_Euclidean_Distance_With_Band_Zero()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 20; trial++)
        {
            var channels = 1 + trial % 3;
            var a = RandomSeries(random, channels * 37);
            var b = RandomSeries(random, channels * 37);
            var euclidean = Math.Sqrt(a.Zip(b, (x, y) => ((double)x - y) * ((double)x - y)).Sum());
            Assert.Equal(euclidean, DynamicTimeWarping.Distance(a, b, channels, band: 0), 9);
        }
    }

    [Fact]
    public void Should_Equal_A_Plain_Full_Table_Recursion_For_Every_Band()
    {
        // Given a second, plain computation: the whole (L+1)² table, cells outside the band left infinite
        var random = new Random(11);
        for (var trial = 0; trial < 30; trial++)
        {
            var channels = 1 + trial % 2;
            var length = 5 + trial;
            var a = RandomSeries(random, channels * length);
            var b = RandomSeries(random, channels * length);
            foreach (int? band in new int?[] { 0, 1, 3, length / 4, length, null })
                Assert.Equal(Reference(a, b, channels, band ?? length), DynamicTimeWarping.Distance(a, b, channels, band), 9);
        }
    }

    [Fact]
    public void Should_Warp_Channels_Together()
    {
        // Given a series and its two-channel copy (both channels equal): every cell costs twice, so the distance is sqrt(2) times
        float[] a = [0, 1, 0, 0, 0], b = [0, 0, 0, 1, 0.5f];
        var single = DynamicTimeWarping.Distance(a, b, band: 1);
        var doubled = DynamicTimeWarping.Distance([.. a, .. a], [.. b, .. b], channels: 2, band: 1);
        Assert.Equal(single * Math.Sqrt(2), doubled, 12);
    }

    [Fact]
    public void Should_Bound_Dtw_From_Below_With_Lb_Keogh_And_Abandon_Only_Above_The_Bound()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 50; trial++)
        {
            var length = 40;
            var a = RandomSeries(random, 2 * length);
            var b = RandomSeries(random, 2 * length);
            var band = trial % 8;
            var (upper, lower) = DynamicTimeWarping.Envelope(a, 2, length, band);
            var squared = DynamicTimeWarping.SquaredDistance(a, b, 2, length, band, double.PositiveInfinity);
            Assert.True(DynamicTimeWarping.LowerBound(b, upper, lower, double.PositiveInfinity) <= squared + 1e-9);
            Assert.Equal(squared, DynamicTimeWarping.SquaredDistance(a, b, 2, length, band, squared), 12);
            Assert.Equal(double.PositiveInfinity, DynamicTimeWarping.SquaredDistance(a, b, 2, length, band, squared * 0.999));
        }
    }

    [Fact]
    public void Should_Reject_Series_Of_Different_Sizes()
    {
        Assert.Throws<ArgumentException>(() => DynamicTimeWarping.Distance([1, 2, 3], [1, 2]));
        Assert.Throws<ArgumentException>(() => DynamicTimeWarping.Distance([1, 2, 3], [1, 2, 3], channels: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DynamicTimeWarping.Distance([1, 2, 3], [1, 2, 3], band: -1));
    }

    private static float[] RandomSeries(Random random, int size) => [.. Enumerable.Range(0, size).Select(_ => (float)(random.NextDouble() * 4 - 2))];

    private static double Reference(float[] a, float[] b, int channels, int band)
    {
        var length = a.Length / channels;
        var table = new double[length + 1, length + 1];
        for (var i = 0; i <= length; i++)
        {
            for (var j = 0; j <= length; j++)
                table[i, j] = double.PositiveInfinity;
        }
        table[0, 0] = 0;
        for (var i = 1; i <= length; i++)
        {
            for (var j = 1; j <= length; j++)
            {
                if (Math.Abs(i - j) > band)
                    continue;
                var cost = Enumerable.Range(0, channels).Sum(c => Math.Pow((double)a[c * length + i - 1] - b[c * length + j - 1], 2));
                table[i, j] = cost + Math.Min(table[i - 1, j - 1], Math.Min(table[i - 1, j], table[i, j - 1]));
            }
        }
        return Math.Sqrt(table[length, length]);
    }
}
