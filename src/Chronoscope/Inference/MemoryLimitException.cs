namespace Chronoscope.Inference;

/// <summary>
/// Work refused before it starts because its estimated peak memory exceeds all the memory the machine (or its
/// container) has: it could only end with the process killed by the system, without a message. The message names the
/// data, the series length, the estimate and the memory found, and how to fit (shorter series, a smaller batch, a
/// machine with more memory).
/// </summary>
public sealed class MemoryLimitException : ChronoscopeException
{
    internal MemoryLimitException(string message, long estimatedBytes, long totalBytes)
        : base(message)
    {
        EstimatedBytes = estimatedBytes;
        TotalBytes = totalBytes;
    }

    /// <summary>The estimated peak memory of the work, in bytes.</summary>
    public long EstimatedBytes { get; }

    /// <summary>All the memory the machine or container has, in bytes.</summary>
    public long TotalBytes { get; }
}
