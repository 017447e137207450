using System.Text;

namespace Chronoscope.Data.Formats;

/// <summary>
/// Class labels met while reading, one string per distinct label: each case looks its label up by its
/// UTF-8 bytes, so a file of a million cases allocates a string per class, not per case.
/// </summary>
internal sealed class LabelTable
{
    private const int StackDecodeLimit = 256;

    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public LabelTable() => _lookup = _labels.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The label spelled by <paramref name="utf8"/> if it is in the table, else null.</summary>
    public string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > StackDecodeLimit)
            return _labels.GetValueOrDefault(Encoding.UTF8.GetString(utf8));
        Span<char> chars = stackalloc char[StackDecodeLimit];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        return _lookup.TryGetValue(chars[..length], out var label) ? label : null;
    }

    /// <summary>The label spelled by <paramref name="utf8"/>, added on first sight.</summary>
    public string GetOrAdd(ReadOnlySpan<byte> utf8) => Find(utf8) ?? Add(Encoding.UTF8.GetString(utf8));

    /// <summary>Adds <paramref name="label"/> (a declared class) and returns the table's string for it.</summary>
    public string Add(string label)
    {
        if (_labels.TryGetValue(label, out var existing))
            return existing;
        _labels.Add(label, label);
        return label;
    }
}
