using Chronoscope.Data.Formats;
namespace Chronoscope.Data.Archive;

/// <summary>Where <see cref="Datasets.GetAsync"/> looks for a dataset and how it downloads one.</summary>
public sealed record DatasetSourceOptions
{
    /// <summary>The zip URLs of the current archive site, then of the legacy one, as aeon/sktime and tsai use them.</summary>
    public static IReadOnlyList<string> ArchiveDownloadUrls { get; } =
    [
        "https://timeseriesclassification.com/aeon-toolkit/{0}.zip",
        "http://www.timeseriesclassification.com/Downloads/{0}.zip",
    ];

    /// <summary>
    /// The cache folder holding one sub-folder per dataset. Null (the default) means
    /// <see cref="Datasets.DefaultCacheFolder"/>: <c>$CHRONOSCOPE_DATA</c>, else the user's cache folder.
    /// </summary>
    public string? CacheFolder { get; init; }

    /// <summary>
    /// URL templates for a dataset's zip, tried in order; <c>{0}</c> is replaced by the dataset's name.
    /// Defaults to <see cref="ArchiveDownloadUrls"/>.
    /// </summary>
    public IReadOnlyList<string> DownloadUrls { get; init; } = ArchiveDownloadUrls;

    /// <summary>
    /// Replace the cached copy: a catalogued dataset is downloaded again (or re-extracted from the embedded
    /// copy), and the new folder replaces the old one atomically. Defaults to false.
    /// </summary>
    public bool Force { get; init; }

    /// <summary>
    /// Use the copies embedded in the library (GunPoint, ARFF) before downloading. Defaults to true, so the
    /// default dataset needs no network.
    /// </summary>
    public bool UseEmbedded { get; init; } = true;

    /// <summary>
    /// Which format to use when a folder holds a dataset in several; formats not listed are ignored.
    /// Defaults to .ts, .arff, .tsv, .txt, .csv: the richest header first.
    /// </summary>
    public IReadOnlyList<DatasetFormat> FormatPreference { get; init; } =
        [DatasetFormat.Ts, DatasetFormat.Arff, DatasetFormat.Tsv, DatasetFormat.Txt, DatasetFormat.Csv];

    /// <summary>The longest a whole download may take, all URLs together. Defaults to 10 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The longest a server may send nothing (no connection, no headers, no bytes) before the URL is abandoned. Defaults to 60 seconds.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The largest download accepted, in bytes. Defaults to 4 GiB: the archive's largest zip is well under a tenth of
    /// that; a server sending more (or endlessly) is cut off rather than allowed to fill the disk.
    /// </summary>
    public long MaxDownloadBytes { get; init; } = 4L << 30;

    /// <summary>The largest total size of a zip's files once unpacked, in bytes. Defaults to 16 GiB, against zip bombs.</summary>
    public long MaxUnpackedBytes { get; init; } = 16L << 30;
}
