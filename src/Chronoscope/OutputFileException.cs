namespace Chronoscope;

/// <summary>
/// A file that cannot be written where it was asked for: its folder cannot be created, it is a folder, permission is
/// denied, the disk is full, or it is one of the inputs of the same work. The message starts with the path.
/// </summary>
public sealed class OutputFileException : ChronoscopeException
{
    public OutputFileException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The file, as the caller named it.</summary>
    public string Path { get; }
}
