namespace Chronoscope.Data.Archive;

/// <summary>
/// One event of a dataset download, reported through <see cref="IProgress{T}"/>. Byte counts are reported
/// at most every 64 KiB (and once when the body is complete), so a caller may print each event.
/// </summary>
/// <param name="Name">The dataset being downloaded.</param>
/// <param name="Url">The URL being tried.</param>
/// <param name="Stage">What is happening.</param>
/// <param name="BytesReceived">Bytes of the zip received so far from <paramref name="Url"/>.</param>
/// <param name="TotalBytes">The zip's size when the server announced it (Content-Length), else null.</param>
/// <param name="Detail">Why the URL was skipped (for <see cref="DownloadStage.Skipped"/>), else null.</param>
public sealed record DownloadProgress(
    string Name, Uri Url, DownloadStage Stage, long BytesReceived, long? TotalBytes, string? Detail = null);
