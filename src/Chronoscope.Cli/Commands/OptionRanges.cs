using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Chronoscope.Cli.Commands;

/// <summary>
/// Numeric options read and range-checked in one step, each mistake a parse error (exit code 2) that names the option,
/// the value and what was expected: <c>--epochs 1e12: expected a whole number from 1 to 1,000,000</c>.
/// </summary>
/// <remarks>
/// The check is the option's parser, not a validator: System.CommandLine runs validators before it reports a value that
/// does not convert, so a validator that reads the value (<c>--epochs abc</c>) throws instead of reporting.
/// </remarks>
internal static class OptionRanges
{
    /// <summary>Epochs, patience, sweep batches: at most a million.</summary>
    public const int MaxEpochs = 1_000_000;

    /// <summary>Series per batch: at most a million.</summary>
    public const int MaxBatchSize = 1_000_000;

    /// <summary>Threads for libtorch: at most 1,024 (more than any machine's cores; each thread has its own stack).</summary>
    public const int MaxThreads = 1024;

    /// <summary>The value must be a whole number from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum, int maximum = int.MaxValue)
    {
        option.CustomParser = result => ParseInt(result, option.Name, minimum, maximum) ?? 0;
        return option;
    }

    /// <summary>The value, when given, must be a whole number from <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    public static Option<int?> AtLeast(this Option<int?> option, int minimum, int maximum = int.MaxValue)
    {
        option.CustomParser = result => ParseInt(result, option.Name, minimum, maximum);
        return option;
    }

    /// <summary>
    /// The value must be <c>auto</c> (read as null: the command chooses) or a whole number from <paramref name="minimum"/>
    /// to <paramref name="maximum"/>; absent, it is <c>auto</c>.
    /// </summary>
    public static Option<int?> AtLeastOrAuto(this Option<int?> option, int minimum, int maximum = int.MaxValue)
    {
        option.HelpName = "N|auto";
        option.CustomParser = result =>
        {
            if (string.Equals(Token(result), "auto", StringComparison.OrdinalIgnoreCase))
                return null;
            return ParseInt(result, option.Name, minimum, maximum, orAuto: true);
        };
        return option;
    }

    /// <summary>The value, when given, must be a whole number (any, negative included).</summary>
    public static Option<int?> Whole(this Option<int?> option) => option.AtLeast(int.MinValue);

    /// <summary>The value must be a whole number (any, negative included).</summary>
    public static Option<int> Whole(this Option<int> option) => option.AtLeast(int.MinValue);

    /// <summary>The value must be a finite number strictly above 0.</summary>
    public static Option<double> Positive(this Option<double> option)
    {
        option.CustomParser = result => ParseDouble(result, option.Name, v => v > 0, "a number above 0");
        return option;
    }

    /// <summary>The value must lie strictly between <paramref name="low"/> and <paramref name="high"/>.</summary>
    public static Option<double> Between(this Option<double> option, double low, double high)
    {
        option.CustomParser = result => ParseDouble(result, option.Name, v => v > low && v < high,
            string.Create(CultureInfo.InvariantCulture, $"a number between {low} and {high} (exclusive)"));
        return option;
    }

    /// <summary>The value must be a finite number (any).</summary>
    public static Option<double> Finite(this Option<double> option)
    {
        option.CustomParser = result => ParseDouble(result, option.Name, _ => true, "a finite number");
        return option;
    }

    private static int? ParseInt(ArgumentResult result, string name, int minimum, int maximum, bool orAuto = false)
    {
        var text = Token(result);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
            return value;
        var range = (minimum, maximum) switch
        {
            (int.MinValue, int.MaxValue) => "a whole number",
            (_, int.MaxValue) => string.Create(CultureInfo.InvariantCulture, $"a whole number of at least {minimum:N0}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"a whole number from {minimum:N0} to {maximum:N0}"),
        };
        result.AddError($"{name} {Quoted(text)}: expected {(orAuto ? "auto or " : "")}{range}");
        return null;
    }

    private static double ParseDouble(ArgumentResult result, string name, Func<double, bool> accept, string expected)
    {
        var text = Token(result);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && accept(value))
            return value;
        result.AddError($"{name} {Quoted(text)}: expected {expected}");
        return 0;
    }

    private static string Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    /// <summary>The value as typed, quoted when empty or holding spaces, control characters escaped.</summary>
    internal static string Quoted(string text) =>
        text.Length == 0 || text.Any(char.IsWhiteSpace) ? $"'{Output.TerminalText.Escape(text)}'" : Output.TerminalText.Escape(text);
}
