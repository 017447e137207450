using System.Collections.Concurrent;

namespace Chronoscope.Tests.Infrastructure;

public sealed class BlockPoolTests
{
    private const long MiB = 1L << 20;

    /// <summary>A pool over pretend memory maps: addresses counted up, never touched; every map and unmap recorded.</summary>
    private sealed class PretendMaps
    {
        private long _next = 1L << 40;
        public readonly List<long> Mapped = [];
        public readonly List<(nint Block, long Size)> Unmapped = [];
        public int Refusals;

        public BlockPool Pool() => new(Map, (block, size) => { lock (Unmapped) Unmapped.Add((block, size)); });

        private nint Map(long size)
        {
            lock (Mapped)
            {
                if (Refusals > 0)
                {
                    Refusals--;
                    return 0;
                }
                Mapped.Add(size);
                var block = (nint)_next;
                _next += size;
                return block;
            }
        }
    }

    [Theory]
    [InlineData(1L, 4096L)] // whole pages below 64 KiB
    [InlineData(5_000L, 8_192L)]
    [InlineData(262_144L, 262_144L)] // 2^18 is its own class
    [InlineData(262_145L, 294_912L)] // then steps of 2^18 / 8
    [InlineData(1_000_000L, 1_048_576L)] // [2^19, 2^20): steps of 65,536; 15.26 steps → 16
    [InlineData(16_384_000L, 16_777_216L)] // 64 series × 128 channels × 500 steps of float32: [2^23, 2^24), steps of 2^20
    [InlineData(30L * MiB, 30L * MiB)] // [2^24, 2^25): steps of 2 MiB
    public void Should_Round_A_Request_Up_To_An_Eighth_Of_Its_Power_Of_Two(long bytes, long expected)
    {
        Assert.Equal(expected, BlockPool.SizeClassOf(bytes));
    }

    [Fact]
    public void Should_Waste_Less_Than_An_Eighth_Of_Any_Request_Of_A_Page_Or_More()
    {
        var random = new Random(7);
        for (var i = 0; i < 100_000; i++)
        {
            var bytes = 4096 + (long)(random.NextDouble() * random.NextDouble() * (1L << 36));
            var size = BlockPool.SizeClassOf(bytes);
            Assert.True(size >= bytes && size < bytes + bytes / 8 + 4096 && size % 4096 == 0, $"{bytes} → {size}");
        }
    }

    [Fact]
    public void Should_Give_A_Freed_Block_To_The_Next_Request_Of_Its_Class_Last_Freed_First()
    {
        var maps = new PretendMaps();
        var pool = maps.Pool();

        var a = pool.Take(1_000_000);
        var b = pool.Take(1_040_000); // the same class, 1 MiB
        Assert.True(pool.Return(a));
        Assert.True(pool.Return(b));

        Assert.Equal(b, pool.Take(1_000_001));
        Assert.Equal(a, pool.Take(1_048_576));
        Assert.Equal([MiB, MiB], maps.Mapped);
        Assert.Equal((2 * MiB, 0L, 2 * MiB), pool.Statistics);
    }

    [Fact]
    public void Should_Lend_The_Smallest_Kept_Block_Up_To_Twice_The_Class_When_Its_Own_Has_None()
    {
        // Given kept blocks of 3, 4 and 9 MiB
        var maps = new PretendMaps();
        var pool = maps.Pool();
        var kept = new[] { 3 * MiB, 4 * MiB, 9 * MiB }.Select(size => (Size: size, Block: pool.Take(size))).ToList();
        kept.ForEach(k => pool.Return(k.Block));

        // When 2 MiB, 2 MiB again, then 4 MiB are asked for
        var first = pool.Take(2 * MiB);
        var second = pool.Take(2 * MiB);
        var third = pool.Take(4 * MiB);

        // Then the 3 MiB block (the smallest within twice), then the 4 MiB one, then a new map (9 MiB is over twice 4)
        Assert.Equal(kept[0].Block, first);
        Assert.Equal(kept[1].Block, second);
        Assert.DoesNotContain(third, kept.Select(k => k.Block));
        Assert.Equal([3 * MiB, 4 * MiB, 9 * MiB, 4 * MiB], maps.Mapped);
        Assert.Equal((11 * MiB, 9 * MiB, 16 * MiB), pool.Statistics); // a lent block counts at its own size

        // And a lent block goes back to its own class
        pool.Return(first);
        Assert.Equal(kept[0].Block, pool.Take(3 * MiB));
    }

    [Fact]
    public void Should_Refuse_A_Block_It_Did_Not_Give_Or_Already_Took_Back()
    {
        var pool = new PretendMaps().Pool();
        var block = pool.Take(MiB);

        Assert.False(pool.Return(block + 4096));
        Assert.True(pool.Return(block));
        Assert.False(pool.Return(block));
    }

    [Fact]
    public void Should_Unmap_The_Class_Unused_Longest_Past_The_Live_Peak_And_An_Eighth()
    {
        // Given ten 10 MiB blocks live at once (the peak: 100 MiB), then kept
        var maps = new PretendMaps();
        var pool = maps.Pool();
        var tens = Enumerable.Range(0, 10).Select(_ => pool.Take(10 * MiB)).ToList();
        tens.ForEach(b => pool.Return(b));

        // When a 20 MiB block comes and goes, then a 30 MiB one is taken
        pool.Return(pool.Take(20 * MiB)); // 120 MiB mapped: within the bound of 100 + max(32, 100 / 8) = 132
        var thirty = pool.Take(30 * MiB); // 150 > 132: two 10 MiB blocks go (the class unused longest), 130 left

        // Then exactly two of the 10 MiB blocks were unmapped (the class's last freed first)
        Assert.Equal([(tens[9], 10 * MiB), (tens[8], 10 * MiB)], maps.Unmapped);
        Assert.Equal([10 * MiB, 10 * MiB, 10 * MiB, 10 * MiB, 10 * MiB, 10 * MiB, 10 * MiB, 10 * MiB, 10 * MiB, 10 * MiB, 20 * MiB, 30 * MiB], maps.Mapped);
        Assert.Equal((30 * MiB, 100 * MiB, 100 * MiB), pool.Statistics);
        Assert.NotEqual(0, thirty);
    }

    [Fact]
    public void Should_Unmap_Kept_Blocks_When_A_Map_Is_Refused_And_Give_Up_When_None_Are_Left()
    {
        var maps = new PretendMaps();
        var pool = maps.Pool();
        var kept = pool.Take(4 * MiB);
        pool.Return(kept);

        maps.Refusals = 1;
        Assert.NotEqual(0, pool.Take(8 * MiB)); // refused once: the kept 4 MiB went, then the map succeeded
        Assert.Equal([(kept, 4 * MiB)], maps.Unmapped);

        maps.Refusals = 1;
        Assert.Equal(0, pool.Take(16 * MiB)); // refused with nothing kept to give back
        Assert.Equal((8 * MiB, 0L, 8 * MiB), pool.Statistics);
    }

    [Fact]
    public void Should_Unmap_Every_Kept_Block_On_Release_And_Leave_The_Live_Ones()
    {
        var maps = new PretendMaps();
        var pool = maps.Pool();
        var live = pool.Take(MiB);
        pool.Return(pool.Take(2 * MiB));
        pool.Return(pool.Take(3 * MiB));

        pool.Release();

        Assert.Equal([2 * MiB, 3 * MiB], maps.Unmapped.Select(u => u.Size).Order());
        Assert.Equal((MiB, 0L, 4 * MiB), pool.Statistics); // at most 1 + 3 MiB were live at once
        Assert.True(pool.Return(live));
    }

    [Fact]
    public void Should_Give_A_Block_To_One_Holder_At_A_Time_Across_Threads()
    {
        var pool = new PretendMaps().Pool();
        var held = new ConcurrentDictionary<nint, int>();
        var sizes = new[] { MiB, 3 * MiB, 5 * MiB };

        Parallel.For(0, 4, thread =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                var block = pool.Take(sizes[(thread + i) % sizes.Length]);
                Assert.True(held.TryAdd(block, thread), "a block given to two holders at once");
                Assert.True(held.TryRemove(block, out _));
                Assert.True(pool.Return(block));
            }
        });

        Assert.Equal(0L, pool.Statistics.Live);
        Assert.InRange(pool.Statistics.PeakLive, MiB, 4 * 5 * MiB);
    }
}
