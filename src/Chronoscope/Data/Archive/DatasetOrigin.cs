namespace Chronoscope.Data.Archive;

/// <summary>Where <see cref="Datasets.GetAsync"/> found a dataset's files.</summary>
public enum DatasetOrigin
{
    /// <summary>The copy embedded in the library, written into the cache folder on this call.</summary>
    Embedded,

    /// <summary>The cache folder, which already held the files.</summary>
    Cache,

    /// <summary>The archive's zip, downloaded and extracted into the cache folder on this call.</summary>
    Downloaded,
}
