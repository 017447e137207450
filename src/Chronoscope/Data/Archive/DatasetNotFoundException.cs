namespace Chronoscope.Data.Archive;

/// <summary>
/// A dataset name that is neither in the catalogue, nor embedded, nor in the cache folder; or a cache folder
/// that lacks its TRAIN/TEST files. The message suggests near names and says where a dataset of one's own goes.
/// </summary>
public sealed class DatasetNotFoundException : ChronoscopeException
{
    internal DatasetNotFoundException(string name, string folder, IReadOnlyList<string> suggestions, string message)
        : base(message)
    {
        Name = name;
        Folder = folder;
        Suggestions = suggestions;
    }

    /// <summary>The name as asked for.</summary>
    public string Name { get; }

    /// <summary>The folder where the dataset's files were looked for, and where files of one's own can be placed.</summary>
    public string Folder { get; }

    /// <summary>Known names close to <see cref="Name"/>, closest first (possibly none).</summary>
    public IReadOnlyList<string> Suggestions { get; }
}
