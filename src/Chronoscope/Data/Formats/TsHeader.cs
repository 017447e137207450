using System.Globalization;

namespace Chronoscope.Data.Formats;

/// <summary>The header tags of a <c>.ts</c> file, read by name in any order up to and including <c>@data</c>.</summary>
internal sealed class TsHeader
{
    public string? ProblemName { get; private set; }

    public bool TimeStamps { get; private set; }

    public bool? Univariate { get; private set; }

    public int? Dimensions { get; private set; }

    public long DimensionsLine { get; private set; }

    public bool? EqualLength { get; private set; }

    public int? SeriesLength { get; private set; }

    /// <summary>True for <c>@classLabel true</c>, false for <c>@classLabel false</c> or <c>@targetLabel false</c>.</summary>
    public bool Labelled { get; private set; }

    /// <summary>The classes <c>@classLabel true</c> declares, in order; null when unlabelled.</summary>
    public IReadOnlyList<string>? Classes { get; private set; }

    /// <summary>The dimensions every case must have and where that comes from, or null when the first case decides.</summary>
    public (int Count, string Source)? ExpectedDimensions
        => Dimensions is { } d ? (d, "from @dimensions")
            : Univariate == true ? (1, "from @univariate true")
            : null;

    public static TsHeader Read(Utf8LineReader reader)
    {
        var header = new TsHeader();
        bool? labelTag = null;
        var sawContent = false;

        while (reader.TryReadLine(out var raw))
        {
            var bytes = Utf8Text.Trim(raw);
            // '#' comments; '%' ones too before @data, as aeon and sktime accept (their own UnitTest files use them).
            if (bytes.IsEmpty || bytes[0] == (byte)'#' || bytes[0] == (byte)'%')
            {
                sawContent |= !bytes.IsEmpty;
                continue;
            }
            sawContent = true;
            if (bytes[0] != (byte)'@')
            {
                throw reader.Fail(
                    $"expected the .ts header (@problemName, @classLabel ..., @data) before the data, found {Utf8Text.Show(bytes)}.");
            }

            var tokens = Utf8Text.Decode(bytes).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var tag = tokens[0];
            switch (tag.ToLowerInvariant())
            {
                case "@problemname":
                    header.ProblemName = tokens.Length > 1 ? string.Join(' ', tokens[1..]) : null;
                    break;
                case "@timestamps":
                    header.TimeStamps = Boolean(reader, tokens);
                    break;
                case "@missing":
                    Boolean(reader, tokens);
                    break;
                case "@univariate":
                    header.Univariate = Boolean(reader, tokens);
                    break;
                case "@dimensions":
                    header.Dimensions = PositiveInteger(reader, tokens);
                    header.DimensionsLine = reader.LineNumber;
                    break;
                case "@equallength":
                    header.EqualLength = Boolean(reader, tokens);
                    break;
                case "@serieslength":
                    header.SeriesLength = PositiveInteger(reader, tokens);
                    break;
                case "@classlabel":
                    labelTag = Boolean(reader, tokens, allowMore: true);
                    if (labelTag == true)
                    {
                        if (tokens.Length < 3)
                            throw reader.Fail("expected the class labels after @classLabel true, found none.");
                        header.Classes = tokens[2..];
                    }
                    else
                    {
                        header.Classes = null;
                    }
                    break;
                case "@targetlabel":
                    if (Boolean(reader, tokens))
                    {
                        throw reader.Fail(
                            "expected a classification problem (@classLabel), found a regression target (@targetLabel true), which is not supported.");
                    }
                    labelTag = false;
                    break;
                case "@problemtype":
                    if (tokens.Length > 1 && !string.Equals(tokens[1], "classification", StringComparison.OrdinalIgnoreCase))
                    {
                        throw reader.Fail(
                            $"expected a classification problem, found @problemType {Utf8Text.Show(string.Join(' ', tokens[1..]))}: regression is not supported.");
                    }
                    break;
                case "@data":
                    if (labelTag is null)
                    {
                        throw reader.Fail(
                            "expected @classLabel true <labels...> or @classLabel false before @data, found neither.");
                    }
                    header.Labelled = labelTag.Value;
                    if (header.Univariate == true && header.Dimensions is > 1)
                    {
                        throw reader.FailAt(header.DimensionsLine,
                            $"expected @dimensions 1 with @univariate true, found @dimensions {header.Dimensions}.");
                    }
                    return header;
                default:
                    // Tags this reader does not know carry nothing it needs; newer archive files may add some.
                    break;
            }
        }

        if (!sawContent)
        {
            throw reader.FailAtEnd(
                reader.LineNumber == 0
                    ? "expected a .ts header (@problemName, @classLabel ..., @data), found an empty file."
                    : "expected a .ts header (@problemName, @classLabel ..., @data), found only blank lines.");
        }
        throw reader.Fail("expected @data after the header, found the end of the file.");
    }

    private static bool Boolean(Utf8LineReader reader, string[] tokens, bool allowMore = false)
    {
        var value = tokens.Length > 1 ? tokens[1].ToLowerInvariant() : null;
        if (value is "true" or "false" && (allowMore || tokens.Length == 2))
            return value == "true";
        var found = tokens.Length > 1 ? Utf8Text.Show(string.Join(' ', tokens[1..])) : "nothing";
        throw reader.Fail($"expected true or false after {tokens[0]}, found {found}.");
    }

    private static int PositiveInteger(Utf8LineReader reader, string[] tokens)
    {
        if (tokens.Length == 2 && int.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
            return value;
        var found = tokens.Length > 1 ? Utf8Text.Show(string.Join(' ', tokens[1..])) : "nothing";
        throw reader.Fail($"expected a positive whole number after {tokens[0]}, found {found}.");
    }
}
