using System.Text;

namespace Chronoscope.Data.Formats;

/// <summary>Small operations on UTF-8 fields of a data line: trimming, quotes, and quoting for messages.</summary>
internal static class Utf8Text
{
    private const int MaxShownCharacters = 40;

    /// <summary>Spaces and tabs (and the rarer vertical tab, form feed, stray CR) that may surround a field.</summary>
    public static ReadOnlySpan<byte> Whitespace => " \t\r\f\v"u8;

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text) => text.Trim(Whitespace);

    public static bool IsQuote(byte b) => b == (byte)'\'' || b == (byte)'"';

    /// <summary>The text inside matching single or double quotes, or the text itself when it is not quoted.</summary>
    public static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> text)
        => text.Length >= 2 && IsQuote(text[0]) && text[^1] == text[0] ? text[1..^1] : text;

    public static string Decode(ReadOnlySpan<byte> text) => Encoding.UTF8.GetString(text);

    /// <summary>The text for an error message, in double quotes, shortened to 40 characters: <c>"abc"</c>.</summary>
    public static string Show(ReadOnlySpan<byte> text) => Show(Decode(text));

    /// <inheritdoc cref="Show(ReadOnlySpan{byte})"/>
    public static string Show(string text)
        => text.Length <= MaxShownCharacters ? $"\"{text}\"" : $"\"{text[..MaxShownCharacters]}…\"";
}
