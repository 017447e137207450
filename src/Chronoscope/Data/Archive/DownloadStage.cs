namespace Chronoscope.Data.Archive;

/// <summary>The step a dataset download has reached; see <see cref="DownloadProgress"/>.</summary>
public enum DownloadStage
{
    /// <summary>A request to <see cref="DownloadProgress.Url"/> is about to be sent.</summary>
    Connecting,

    /// <summary>Bytes of the zip are arriving; <see cref="DownloadProgress.BytesReceived"/> says how many so far.</summary>
    Downloading,

    /// <summary>This URL failed (<see cref="DownloadProgress.Detail"/> says why); the next one, if any, is tried.</summary>
    Skipped,

    /// <summary>The zip is complete and is being extracted.</summary>
    Extracting,

    /// <summary>The dataset's folder is in place.</summary>
    Completed,
}
