using System.CommandLine;
using Chronoscope.Data.Formats;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// <c>--non-finite-as-missing</c>, on every command that reads data files: values a float cannot hold read as missing
/// values (<see cref="ReadOptions.NonFiniteAsMissing"/>) instead of refused.
/// </summary>
internal static class NonFiniteValues
{
    public static Option<bool> Option() => new("--non-finite-as-missing")
    {
        Description = "Read values a float cannot hold (inf, -Infinity, 1e309, 3.5e38) as missing values, filled as '?' is, instead of refusing the file.",
    };

    /// <summary>How the command's data files are read, by <paramref name="option"/>.</summary>
    public static ReadOptions Read(ParseResult parse, Option<bool> option) => new() { NonFiniteAsMissing = parse.GetValue(option) };
}
