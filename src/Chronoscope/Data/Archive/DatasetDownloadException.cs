namespace Chronoscope.Data.Archive;

/// <summary>
/// A dataset is catalogued but could not be downloaded. The message lists what each URL answered and how to
/// get going anyway (check the network, or place the files in the cache folder by hand).
/// </summary>
public sealed class DatasetDownloadException : ChronoscopeException
{
    internal DatasetDownloadException(string name, DownloadFailure failure, IReadOnlyList<Uri> urls, int? statusCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        Name = name;
        Failure = failure;
        Urls = urls;
        StatusCode = statusCode;
    }

    /// <summary>The dataset that was asked for.</summary>
    public string Name { get; }

    /// <summary>The decisive reason: <see cref="DownloadFailure.NotFound"/> only when every URL answered 404, else the first other failure.</summary>
    public DownloadFailure Failure { get; }

    /// <summary>The URLs tried, in order.</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>The HTTP status behind <see cref="Failure"/> when there was one.</summary>
    public int? StatusCode { get; }
}
