using System.Text.RegularExpressions;

namespace Chronoscope;

/// <summary>
/// The reason of an operating-system error in a few plain words, without the path .NET puts in its messages (the
/// caller names the path once, in front): <c>permission denied</c>, <c>no space left on device</c>.
/// </summary>
internal static partial class IoErrors
{
    /// <summary>The reason of <paramref name="e"/>: a few words for the known cases, else its message without paths.</summary>
    public static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "a folder on its path does not exist",
        PathTooLongException => "the name is too long",
        _ => Plain(e.Message),
    };

    /// <summary>"No space left on device : '/tmp/x'" → "no space left on device".</summary>
    private static string Plain(string message)
    {
        var text = QuotedPath().Replace(message, "").Trim().TrimEnd('.', ':').Trim();
        return text.Length == 0 ? "an input/output error" : char.ToLowerInvariant(text[0]) + text[1..];
    }

    [GeneratedRegex(@"\s*:?\s*'[^']*'")]
    private static partial Regex QuotedPath();
}
