using System.Runtime.InteropServices;

namespace Chronoscope.Tests.Infrastructure;

public sealed class HeapStatisticsTests
{
    [Fact]
    public void Should_Count_A_Block_Malloc_Maps_And_Unmaps()
    {
        // Given glibc's heap as mallinfo2 reports it (null only off glibc)
        var before = TorchRuntime.Heap();
        if (!OperatingSystem.IsLinux() || before is null)
            return; // not glibc: nothing to read, and the learner then never trims between batches

        // When this thread mallocs 256 MiB, above the mmap threshold (glibc's own is at most 32 MiB; the tests never raise it), and frees it
        const long size = 256L << 20;
        const long slack = 64L << 20; // other tests run alongside and allocate too
        var block = Marshal.AllocHGlobal((nint)size);
        TorchRuntime.HeapStatistics held;
        try
        {
            held = TorchRuntime.Heap()!.Value;
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
        var after = TorchRuntime.Heap()!.Value;

        // Then the mmap'd bytes grew by the block and fell back by it, and the arenas hold what they hand out
        Assert.InRange(held.Mapped - before.Value.Mapped, size - slack, size + slack);
        Assert.InRange(held.Mapped - after.Mapped, size - slack, size + slack);
        Assert.True(held.Arenas >= held.Used, $"arenas {held.Arenas} < used {held.Used}");
    }
}
