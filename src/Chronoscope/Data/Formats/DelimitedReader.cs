using System.Globalization;

namespace Chronoscope.Data.Formats;

/// <summary>
/// The header-less formats, one case per line with the label first: UCR 2018 <c>.tsv</c> (tab-separated),
/// <c>.csv</c> (comma-separated, the UCR 2015 archive's) and the legacy UCR <c>.txt</c> (runs of spaces or tabs, the
/// label written as a float). The rules are in <see cref="DatasetReader"/>'s remarks.
/// </summary>
internal static class DelimitedReader
{
    public static TimeSeriesDataset Read(string path, ReadOptions options, DatasetFormat format)
    {
        var tabsOnly = format == DatasetFormat.Tsv;
        var commas = format == DatasetFormat.Csv;
        var separatorName = tabsOnly ? "tab" : commas ? "comma" : "space";
        var expectedCases = DatasetReader.CountCaseLines(path, ""u8);
        using var reader = Utf8LineReader.Open(path);
        var builder = new DatasetBuilder(reader, expectedCases, options.Padding, labelled: true, trailingNaNIsPadding: true);
        var labels = new LabelTable();
        var numericLabels = new Dictionary<string, string>(ReferenceEqualityComparer.Instance);
        var values = new CaseBuffer(options.NonFiniteAsMissing);
        var length = 0;
        long firstCaseLine = 0;
        var header = new HeaderSuspicion();

        while (reader.TryReadLine(out var raw))
        {
            // A leading tab in .tsv is an empty label, not whitespace to skip.
            var line = tabsOnly ? raw.TrimEnd(Utf8Text.Whitespace).TrimStart((byte)' ') : Utf8Text.Trim(raw);
            if (line.IsEmpty)
                continue;
            var lineNumber = reader.LineNumber;

            var labelEnd = tabsOnly ? line.IndexOf((byte)'\t') : commas ? line.IndexOf((byte)',') : line.IndexOfAny((byte)' ', (byte)'\t');
            if (labelEnd < 0)
            {
                var hint = tabsOnly ? " (is it space-separated? then read it as DatasetFormat.Txt)" : "";
                throw reader.Fail(
                    $"expected a class label then {separatorName}-separated values, found one field {Utf8Text.Show(line)}{hint}.");
            }
            var labelField = Utf8Text.Trim(line[..labelEnd]);

            values.Clear();
            var firstCase = length == 0;
            if (tabsOnly || commas)
                ReadSeparated(reader, line[(labelEnd + 1)..], values, tabsOnly ? (byte)'\t' : (byte)',', firstCase);
            else
                ReadSpaceSeparated(reader, line[(labelEnd + 1)..], values, firstCase);
            values.EndChannel();

            if (length == 0)
            {
                length = values.Count;
                firstCaseLine = lineNumber;
            }
            else if (values.Count != length)
            {
                throw reader.Fail(
                    $"expected {length} values after the label (as in line {firstCaseLine}), found {values.Count}.");
            }

            var label = tabsOnly ? TextLabel(reader, labelField, labels)
                : commas ? TextLabel(reader, Utf8Text.Unquote(labelField), labels)
                : NumericLabel(reader, labelField, labels, numericLabels);
            builder.Add(values, label);
            header.See(label);
        }
        // A header of numbered columns ("label,1,2,3") reads as a case; its label gives it away (.txt labels are numbers).
        if ((tabsOnly || commas) && header.Holds)
        {
            throw reader.FailAt(firstCaseLine,
                $"expected a case, found what looks like a header: its label {Utf8Text.Show(header.FirstLabel!)} is the only one that is not a number, and no other line has it; remove the line.");
        }

        var problem = reader.LineNumber == 0
            ? "expected lines of a class label then values, found an empty file."
            : "expected lines of a class label then values, found only blank lines.";
        return builder.Build(DatasetReader.NameOf(path, null, options), null, problem);
    }

    /// <summary>The values after the label, one between each <paramref name="separator"/> (a comma's field may have spaces around it).</summary>
    private static void ReadSeparated(Utf8LineReader reader, ReadOnlySpan<byte> rest, CaseBuffer values, byte separator, bool firstCase)
    {
        var column = 2;
        while (true)
        {
            var end = rest.IndexOf(separator);
            var field = end < 0 ? rest : rest[..end];
            if (separator == (byte)',')
                field = Utf8Text.Trim(field);
            if (!values.TryParse(field, out var value))
                throw NotANumber(reader, field, column, firstCase);
            values.Add(value);
            if (end < 0)
                return;
            rest = rest[(end + 1)..];
            column++;
        }
    }

    private static void ReadSpaceSeparated(Utf8LineReader reader, ReadOnlySpan<byte> rest, CaseBuffer values, bool firstCase)
    {
        var column = 2;
        while (true)
        {
            var start = rest.IndexOfAnyExcept((byte)' ', (byte)'\t');
            if (start < 0)
                return;
            rest = rest[start..];
            var end = rest.IndexOfAny((byte)' ', (byte)'\t');
            var field = end < 0 ? rest : rest[..end];
            if (!values.TryParse(field, out var value))
                throw NotANumber(reader, field, column, firstCase);
            values.Add(value);
            if (end < 0)
                return;
            rest = rest[end..];
            column++;
        }
    }

    private static string TextLabel(Utf8LineReader reader, ReadOnlySpan<byte> field, LabelTable labels)
    {
        if (field.IsEmpty)
            throw reader.Fail("expected a class label in column 1, found nothing.");
        return labels.GetOrAdd(field);
    }

    /// <summary>The legacy label <c>2.0000000e+00</c> as <c>2</c>; a label that is not integral keeps its shortest round-trip form.</summary>
    private static string NumericLabel(Utf8LineReader reader, ReadOnlySpan<byte> field, LabelTable labels, Dictionary<string, string> numericLabels)
    {
        var raw = labels.GetOrAdd(field);
        if (numericLabels.TryGetValue(raw, out var label))
            return label;
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
            throw reader.Fail($"expected the class label as a number in column 1, found {Utf8Text.Show(field)}.");
        label = number == Math.Floor(number) && Math.Abs(number) < 1e15
            ? ((long)number).ToString(CultureInfo.InvariantCulture)
            : number.ToString("R", CultureInfo.InvariantCulture);
        numericLabels.Add(raw, label);
        return label;
    }

    /// <summary>Whether the first case is a header's line: its label is not a number, every other case's is, and none is the same.</summary>
    private sealed class HeaderSuspicion
    {
        private readonly HashSet<string> _numbers = new(ReferenceEqualityComparer.Instance); // labels are the table's strings
        private bool _firstAgain;
        private bool _othersNumeric = true;
        private int _count;

        public string? FirstLabel { get; private set; }

        public bool Holds => _count >= 2 && !_firstAgain && _othersNumeric && !IsNumber(FirstLabel!);

        public void See(string label)
        {
            if (_count++ == 0)
                FirstLabel = label;
            else if (label == FirstLabel)
                _firstAgain = true;
            else if (_othersNumeric && !_numbers.Contains(label))
                _othersNumeric = IsNumber(label) && _numbers.Add(label);
        }

        private static bool IsNumber(string label) => double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>The error for a field that is not a value; the first case's first value may be a header's, which these formats do not have.</summary>
    private static DatasetFormatException NotANumber(Utf8LineReader reader, ReadOnlySpan<byte> field, int column, bool firstCase)
    {
        var hint = firstCase && column == 2 ? " (a header line? the file holds only cases, one per line: the label, then the values)" : "";
        return reader.Fail($"expected a finite number or ?, found {Utf8Text.Show(Utf8Text.Trim(field))} in column {column}{hint}.");
    }
}
