namespace Chronoscope.Reports;

/// <summary>
/// A run record (<c>metrics.json</c>) that cannot be read: missing, not JSON, or without a part a report needs. The
/// message starts with <c>path(line): </c> when the place is known.
/// </summary>
public sealed class RunRecordException : ChronoscopeException
{
    public RunRecordException(string path, long? line, string problem, Exception? inner = null)
        : base(line is null ? $"{path}: {problem}" : $"{path}({line}): {problem}", inner)
    {
        Path = path;
        Line = line;
    }

    /// <summary>The file, as the caller named it.</summary>
    public string Path { get; }

    /// <summary>The 1-based line of the problem, or null when it concerns the whole file.</summary>
    public long? Line { get; }
}
