using System.Numerics;

namespace Chronoscope;

/// <summary>
/// Large memory blocks kept for reuse by size class (<see cref="TensorBlockCache"/>'s policy, apart from the memory
/// maps it gets them from). A request is rounded up to its class, an eighth of its power of two (at most 12.5% more,
/// whole pages); a freed block waits for the next request of its class, the one freed last first, or else for one of a
/// class up to half its size. What is mapped is bounded by the most ever live at once plus an eighth of it (at least
/// 32 MiB): past that bound a new block first unmaps kept ones, those of the class unused longest first. Thread-safe.
/// </summary>
internal sealed class BlockPool(Func<long, nint> map, Action<nint, long> unmap)
{
    /// <summary>The least room kept above the live peak.</summary>
    internal const long LeastSlack = 32L << 20;

    private readonly Lock _gate = new();
    // Sized up front: libtorch calls in the middle of its operations, where a garbage collection is best not started.
    private readonly Dictionary<nint, long> _live = new(1024);
    private readonly Dictionary<long, SizeClass> _classes = new(256);
    private long _liveBytes, _mappedBytes, _peakLive, _uses;

    private sealed class SizeClass
    {
        public readonly Stack<nint> Free = new(16);
        public long LastUse;
    }

    /// <summary>Bytes in live blocks, in kept free blocks, and the most ever live at once (all by size class).</summary>
    public (long Live, long Kept, long PeakLive) Statistics
    {
        get
        {
            lock (_gate)
                return (_liveBytes, _mappedBytes - _liveBytes, _peakLive);
        }
    }

    /// <summary>The size class of a request: rounded up to an eighth of its power of two, and to whole 4 KiB pages.</summary>
    public static long SizeClassOf(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var step = Math.Max(4096L, (long)(BitOperations.RoundUpToPowerOf2((ulong)bytes + 1) >> 4));
        return (bytes + step - 1) / step * step;
    }

    /// <summary>A block of at least <paramref name="bytes"/>: a kept one of its class or of a class up to twice it, else a new map; 0 when the map fails with nothing left to unmap.</summary>
    public nint Take(long bytes)
    {
        var size = SizeClassOf(bytes);
        lock (_gate)
        {
            if (!_classes.TryGetValue(size, out var sizeClass))
                _classes[size] = sizeClass = new SizeClass();
            sizeClass.LastUse = ++_uses;
            if (!sizeClass.Free.TryPop(out var block) && !TryTakeLarger(size, out block, out size))
            {
                var peak = Math.Max(_peakLive, _liveBytes + size);
                var bound = peak + Math.Max(LeastSlack, peak / 8);
                while (_mappedBytes + size > bound && UnmapLeastRecentlyUsed())
                {
                }
                while ((block = map(size)) == 0)
                {
                    if (!UnmapLeastRecentlyUsed())
                        return 0;
                }
                _mappedBytes += size;
            }
            _live[block] = size;
            _liveBytes += size;
            _peakLive = Math.Max(_peakLive, _liveBytes);
            return block;
        }
    }

    /// <summary>Keeps a block <see cref="Take"/> gave for reuse; false when it did not come from here.</summary>
    public bool Return(nint block)
    {
        lock (_gate)
        {
            if (!_live.Remove(block, out var size))
                return false;
            _liveBytes -= size;
            _classes[size].Free.Push(block);
            return true;
        }
    }

    /// <summary>Unmaps every kept block.</summary>
    public void Release()
    {
        lock (_gate)
        {
            while (UnmapLeastRecentlyUsed())
            {
            }
        }
    }

    // A kept block of the smallest class above `size` and at most twice it: a partial batch, or validation's batches,
    // in the blocks of the full training batch, whose pages are resident already, instead of maps of their own.
    private bool TryTakeLarger(long size, out nint block, out long blockSize)
    {
        SizeClass? best = null;
        blockSize = 0;
        foreach (var (s, sizeClass) in _classes)
        {
            if (s > size && s <= 2 * size && sizeClass.Free.Count > 0 && (best is null || s < blockSize))
                (best, blockSize) = (sizeClass, s);
        }
        if (best is null)
        {
            block = 0;
            blockSize = size;
            return false;
        }
        best.LastUse = ++_uses;
        block = best.Free.Pop();
        return true;
    }

    private bool UnmapLeastRecentlyUsed()
    {
        SizeClass? oldest = null;
        var size = 0L;
        foreach (var (s, sizeClass) in _classes)
        {
            if (sizeClass.Free.Count > 0 && (oldest is null || sizeClass.LastUse < oldest.LastUse))
                (oldest, size) = (sizeClass, s);
        }
        if (oldest is null)
            return false;
        unmap(oldest.Free.Pop(), size);
        _mappedBytes -= size;
        return true;
    }
}
