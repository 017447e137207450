namespace Chronoscope.Data.Formats;

/// <summary>
/// A dataset file that cannot be read as its format requires. The message starts with
/// <c>path(line): </c> so editors and terminals can jump to the place, e.g.
/// <c>data/GunPoint_TRAIN.ts(57): expected 150 values per dimension (from @seriesLength), found 149.</c>
/// </summary>
public sealed class DatasetFormatException : ChronoscopeException
{
    public DatasetFormatException(string path, long? line, string problem, Exception? inner = null)
        : base(line is null ? $"{path}: {problem}" : $"{path}({line}): {problem}", inner)
    {
        Path = path;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file, as the caller named it.</summary>
    public string Path { get; }

    /// <summary>The 1-based line, or null when the problem concerns the whole file.</summary>
    public long? Line { get; }

    /// <summary>The message without the location.</summary>
    public string Problem { get; }
}
