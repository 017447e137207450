using Chronoscope.Data.Formats;
namespace Chronoscope.Data.Archive;

/// <summary>The TRAIN and TEST files of one dataset on disk, as <see cref="Datasets.GetAsync"/> found or made them.</summary>
public sealed class DatasetFiles
{
    internal DatasetFiles(string name, string folder, string trainPath, string testPath, DatasetFormat format, DatasetOrigin origin, Uri? url = null)
    {
        Name = name;
        Folder = folder;
        TrainPath = trainPath;
        TestPath = testPath;
        Format = format;
        Origin = origin;
        Url = url;
    }

    /// <summary>The dataset's name in its canonical spelling, e.g. <c>GunPoint</c>.</summary>
    public string Name { get; }

    /// <summary>The folder holding the files: <c>&lt;cache&gt;/&lt;Name&gt;</c>.</summary>
    public string Folder { get; }

    /// <summary>The full path of <c>&lt;Name&gt;_TRAIN.&lt;ext&gt;</c>.</summary>
    public string TrainPath { get; }

    /// <summary>The full path of <c>&lt;Name&gt;_TEST.&lt;ext&gt;</c>.</summary>
    public string TestPath { get; }

    /// <summary>The format of both files (the preferred one when the folder holds several).</summary>
    public DatasetFormat Format { get; }

    /// <summary>Where the files came from on this call.</summary>
    public DatasetOrigin Origin { get; }

    /// <summary>The URL the zip came from when <see cref="Origin"/> is <see cref="DatasetOrigin.Downloaded"/>, else null.</summary>
    public Uri? Url { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Format}, {Origin}): {Folder}";
}
