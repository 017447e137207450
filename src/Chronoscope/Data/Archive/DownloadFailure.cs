namespace Chronoscope.Data.Archive;

/// <summary>Why a dataset could not be downloaded; see <see cref="DatasetDownloadException"/>.</summary>
public enum DownloadFailure
{
    /// <summary>No server could be reached: connection refused, name resolution failed, TLS failed.</summary>
    Unreachable,

    /// <summary>Every URL answered 404 Not Found.</summary>
    NotFound,

    /// <summary>A server answered with another error status (e.g. 500, 403).</summary>
    HttpStatus,

    /// <summary>The download took longer than <see cref="DatasetSourceOptions.Timeout"/> or stalled for <see cref="DatasetSourceOptions.StallTimeout"/>.</summary>
    Timeout,

    /// <summary>The server closed the connection before the whole zip arrived.</summary>
    ConnectionLost,

    /// <summary>What arrived is not a valid zip archive, or one of its entries would land outside the dataset's folder.</summary>
    InvalidArchive,

    /// <summary>The zip is valid but holds no <c>&lt;Name&gt;_TRAIN</c> and <c>&lt;Name&gt;_TEST</c> pair in a readable format.</summary>
    MissingFiles,

    /// <summary>The download, or the zip once unpacked, is larger than the options allow.</summary>
    TooLarge,
}
