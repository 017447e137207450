using System.Globalization;
using System.Text;

namespace Chronoscope.Cli.Output;

/// <summary>
/// Text from files (labels, names, values, paths) made safe to print: a control character (C0 such as ESC and BEL, DEL,
/// C1) would let a data file move the cursor, retitle the terminal or hide a line, so each is shown as <c>\x1B</c> instead.
/// </summary>
internal static class TerminalText
{
    /// <summary>
    /// <paramref name="text"/> with every control character written as <c>\xNN</c> (<c>\u0085</c> as <c>\x85</c>); line
    /// breaks are kept when <paramref name="keepLineBreaks"/> (a stack trace), tabs always.
    /// </summary>
    public static string Escape(string text, bool keepLineBreaks = false)
    {
        if (!text.Any(c => NeedsEscape(c, keepLineBreaks)))
            return text;
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (NeedsEscape(c, keepLineBreaks))
                escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else
                escaped.Append(c);
        }
        return escaped.ToString();
    }

    private static bool NeedsEscape(char c, bool keepLineBreaks) =>
        char.IsControl(c) && c != '\t' && !(keepLineBreaks && c == '\n');
}
