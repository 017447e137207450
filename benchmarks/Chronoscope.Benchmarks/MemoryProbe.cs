using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Chronoscope.Benchmarks;

/// <summary>
/// Where a process's resident memory is (Linux, glibc): /proc/self/status and smaps_rollup, glibc's own account of its
/// heap (<c>mallinfo2</c>: bytes handed out, bytes free inside its arenas, bytes in mmap'd chunks; <c>malloc_info</c>:
/// the number of arenas) and the .NET heap. Free bytes that grow while handed-out bytes stay flat are fragmentation or
/// cached free memory, not a leak.
/// </summary>
internal static partial class MemoryProbe
{
    private const int MallocArenaMax = -8; // M_ARENA_MAX

    /// <summary>One line of figures in MB: <c>rss anon heap_used heap_free mmapped arenas gc_heap gc_committed</c>.</summary>
    public static string Line()
    {
        var rss = BenchmarkArguments.ProcStatus("VmRSS:") / 1024.0;
        var anonymous = BenchmarkArguments.ProcField("/proc/self/smaps_rollup", "Anonymous:") / 1024.0;
        var heap = TorchRuntime.Heap() ?? default;
        var gc = GC.GetGCMemoryInfo();
        var blocks = TensorBlockCache.Statistics;
        return string.Create(CultureInfo.InvariantCulture,
            $"rss={rss:F0} anon={anonymous:F0} malloc_used={Mb(heap.Used):F0} malloc_free={Mb(heap.Free):F0} malloc_arena={Mb(heap.Arenas):F0} malloc_mmap={Mb(heap.Mapped):F0} mmap_chunks={heap.MappedChunks} arenas={Arenas()} gc_heap={Mb(gc.HeapSizeBytes):F0} gc_committed={Mb(gc.TotalCommittedBytes):F0} finalization_pending={gc.FinalizationPendingCount} blocks_live={Mb(blocks.Live):F0} blocks_kept={Mb(blocks.Kept):F0} blocks_peak={Mb(blocks.PeakLive):F0}");
    }

    /// <summary>glibc's bytes handed out and the size of its arenas, in MB.</summary>
    public static (double Used, double Arenas) Heap()
    {
        var heap = TorchRuntime.Heap() ?? default;
        return (Mb(heap.Used), Mb(heap.Arenas));
    }

    /// <summary><c>mallopt(M_ARENA_MAX, n)</c>: at most n malloc arenas (glibc's default: 8 per core).</summary>
    public static bool LimitArenas(int count) => Mallopt(MallocArenaMax, count) == 1;

    private static double Mb(double bytes) => bytes / 1048576.0;

    /// <summary>The number of <c>&lt;heap nr=</c> elements in glibc's <c>malloc_info</c> XML (written to a temporary file).</summary>
    private static int Arenas()
    {
        var path = Path.GetTempFileName();
        try
        {
            var file = Fopen(path, "w");
            if (file == IntPtr.Zero)
                return -1;
            MallocInfo(0, file);
            Fclose(file);
            return HeapElement().Matches(File.ReadAllText(path)).Count;
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex("<heap nr=")]
    private static partial Regex HeapElement();

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_info")]
    private static extern int MallocInfo(int options, IntPtr stream);

    [DllImport("libc", EntryPoint = "fopen")]
    private static extern IntPtr Fopen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string mode);

    [DllImport("libc", EntryPoint = "fclose")]
    private static extern int Fclose(IntPtr stream);
}
