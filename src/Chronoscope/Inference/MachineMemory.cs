using System.Globalization;

namespace Chronoscope.Inference;

/// <summary>
/// The memory this process can have: <see cref="Total"/>, what the machine or its container has in all (more is never
/// given, so a need beyond it is certain to fail), and <see cref="Available"/>, what other programs leave free now.
/// On Linux from <c>/proc/meminfo</c> (MemTotal, MemAvailable) and the cgroup's limit where one is set (v2's
/// <c>memory.max</c>, v1's <c>memory.limit_in_bytes</c>); elsewhere from the garbage collector's
/// <see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, for both.
/// </summary>
/// <param name="Total">Bytes the machine or container has in all.</param>
/// <param name="Available">Bytes free for this process now (never more than <paramref name="Total"/>).</param>
/// <param name="Origin">Where the numbers come from, for messages: e.g. <c>MemTotal</c> or <c>the cgroup's memory.max</c>.</param>
internal sealed record MachineMemory(long Total, long Available, string Origin)
{
    // Tests assume a machine (Assume) for the code they run, on their own async flow: tests running in parallel never see another's.
    private static readonly AsyncLocal<MachineMemory?> Assumed = new();

    // cgroup v1 writes "no limit" as the largest page-aligned long (9223372036854771712); anything this large is none.
    private const long Unlimited = 1L << 62;

    // The last reading and when it was made (Environment.TickCount64): reading takes about 0.3 ms (/proc and the
    // cgroup's files), 2-3% of predicting one short series, and the memory free does not change much within a second.
    // A reference, so threads swap it whole.
    private static Reading? _last;
    private const long ReadingLifetimeMilliseconds = 1000;

    /// <summary>The memory of this machine now, read at most once a second (or the one a test assumes).</summary>
    public static MachineMemory Read()
    {
        if (Assumed.Value is { } assumed)
            return assumed;
        var now = Environment.TickCount64;
        if (_last is { } last && now - last.At < ReadingLifetimeMilliseconds)
            return last.Memory;
        var read = ReadNow();
        _last = new Reading(read, now);
        return read;
    }

    private static MachineMemory ReadNow()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var (limit, usage) = CgroupLimit();
                return FromLinux(File.ReadAllText("/proc/meminfo"), limit, usage);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // A system without /proc: what the runtime knows.
            }
        }
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return new MachineMemory(total, total, "the runtime's TotalAvailableMemoryBytes");
    }

    /// <summary>Makes <see cref="Read"/> return <paramref name="memory"/> on this async flow until disposed: for tests.</summary>
    internal static IDisposable Assume(MachineMemory memory)
    {
        var previous = Assumed.Value;
        Assumed.Value = memory;
        return new Restore(() => Assumed.Value = previous);
    }

    /// <summary>
    /// The memory from the text of <c>/proc/meminfo</c> and a cgroup's limit and usage (null where none is set): the
    /// smaller of MemTotal and the limit in all; the smaller of MemAvailable and what the limit leaves beyond the usage
    /// available.
    /// </summary>
    internal static MachineMemory FromLinux(string meminfo, long? cgroupLimit, long? cgroupUsage)
    {
        long? Field(string name)
        {
            foreach (var line in meminfo.Split('\n'))
            {
                if (!line.StartsWith(name + ":", StringComparison.Ordinal))
                    continue;
                var value = line[(name.Length + 1)..].Trim();
                if (value.EndsWith(" kB", StringComparison.Ordinal))
                    value = value[..^3].Trim();
                return long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
            }
            return null;
        }
        var total = Field("MemTotal") ?? throw new FormatException("/proc/meminfo: expected a MemTotal line, found none");
        var available = Field("MemAvailable") ?? Field("MemFree") ?? total;
        if (cgroupLimit is { } limit and < Unlimited && limit < total)
        {
            var left = Math.Max(0, limit - (cgroupUsage ?? 0));
            return new MachineMemory(limit, Math.Min(available, left), "the container's cgroup limit");
        }
        return new MachineMemory(total, Math.Min(available, total), "MemTotal in /proc/meminfo");
    }

    // The limit and usage of this process's cgroup: v2's memory.max and memory.current in its folder under
    // /sys/fs/cgroup, or v1's memory.limit_in_bytes and memory.usage_in_bytes under /sys/fs/cgroup/memory; a container
    // whose cgroup is its root (a cgroup namespace) has them at the top.
    private static (long? Limit, long? Usage) CgroupLimit()
    {
        const string membership = "/proc/self/cgroup";
        if (!File.Exists(membership))
            return (null, null);
        foreach (var line in File.ReadAllLines(membership))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
                continue;
            var (root, limitFile, usageFile) = parts[1] switch
            {
                "" when parts[0] == "0" => ("/sys/fs/cgroup", "memory.max", "memory.current"),
                "memory" => ("/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes"),
                _ => (null, null, null),
            };
            if (root is null)
                continue;
            var folder = root + parts[2].TrimEnd('/');
            if (!File.Exists(Path.Combine(folder, limitFile!)))
                folder = root;
            var limit = ReadBytes(Path.Combine(folder, limitFile!));
            if (limit is not null)
                return (limit, ReadBytes(Path.Combine(folder, usageFile!)));
        }
        return (null, null);
    }

    private static long? ReadBytes(string path)
    {
        if (!File.Exists(path))
            return null;
        var text = File.ReadAllText(path).Trim();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null; // "max": none
    }

    private sealed record Reading(MachineMemory Memory, long At);

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
