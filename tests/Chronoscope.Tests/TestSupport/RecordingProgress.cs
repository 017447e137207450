using System.Collections.Concurrent;

namespace Chronoscope.Tests.TestSupport;

/// <summary>An <see cref="IProgress{T}"/> that records every event synchronously (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
internal sealed class RecordingProgress<T>(Action<T>? onReport = null) : IProgress<T>
{
    private readonly ConcurrentQueue<T> _events = new();

    public IReadOnlyList<T> Events => [.. _events];

    public void Report(T value)
    {
        _events.Enqueue(value);
        onReport?.Invoke(value);
    }
}
