using System.Runtime;

namespace Chronoscope;

/// <summary>
/// Garbage collections held to the moments between batches. TorchSharp passes libtorch Scalars that nothing references
/// during the call (<see cref="HeldScalars"/>): the default alpha of every tensor addition (<c>a + b</c>), every number
/// converted for a Scalar. A collection another thread starts during such a call (a progress display, a host
/// application, the finalizer thread) can free them while libtorch reads them (a FordA-size benchmark fit failed so once
/// in a dozen runs). Inside a pause (.NET's no-GC region) no collection runs until its budget of managed allocations,
/// on every thread, runs out; between batches <see cref="Renew"/> ends it, collects (so TorchSharp's pending finalizers
/// free their native objects there) and starts the next one. Process-wide: work on several threads shares one pause,
/// which is then renewed only when a single holder is left.
/// </summary>
internal sealed class CollectionPause : IDisposable
{
    /// <summary>Managed allocations a pause allows before a collection runs anyway.</summary>
    internal const long Budget = 64L << 20;

    /// <summary>Allocations after which <see cref="Renew"/> collects even when not asked to: well before the budget.</summary>
    internal const long RenewAfter = 16L << 20;

    private static readonly Lock Gate = new();
    private static int _holders;
    private static bool _owned;
    private static long _allocatedAtStart;
    private bool _disposed;

    private CollectionPause()
    {
    }

    /// <summary>Whether this process is inside a pause now.</summary>
    internal static bool Active => GCSettings.LatencyMode == GCLatencyMode.NoGCRegion;

    /// <summary>Starts a pause, or joins the one another fit holds.</summary>
    public static CollectionPause Begin()
    {
        lock (Gate)
        {
            if (_holders++ == 0)
                Start();
        }
        return new CollectionPause();
    }

    /// <summary>
    /// Between batches: collects and starts a new pause when <paramref name="due"/>, when the pause has used a quarter of
    /// its budget, or when it has ended (its budget ran out), provided no other fit holds it. Then runs the finalizers
    /// that collection found.
    /// </summary>
    public void Renew(bool due)
    {
        lock (Gate)
        {
            if (_holders != 1 || (!due && _owned && Active && GC.GetTotalAllocatedBytes() - _allocatedAtStart < RenewAfter))
                return;
            End();
            Start();
        }
        GC.WaitForPendingFinalizers();
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        lock (Gate)
        {
            if (--_holders == 0)
                End();
        }
    }

    // A no-GC region begins with a full blocking collection. One the host already holds is left to it.
    private static void Start()
    {
        try
        {
            _owned = GC.TryStartNoGCRegion(Budget);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            _owned = false; // the program is in a no-GC region of its own, or the heap's limit leaves no room for one
        }
        _allocatedAtStart = GC.GetTotalAllocatedBytes();
    }

    private static void End()
    {
        if (!_owned)
            return;
        _owned = false;
        try
        {
            if (Active)
                GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // the region had already ended: its budget ran out, or a collection was asked for
        }
    }
}
