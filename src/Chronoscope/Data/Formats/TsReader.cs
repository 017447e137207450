namespace Chronoscope.Data.Formats;

/// <summary>The sktime/aeon <c>.ts</c> format; the rules are in <see cref="DatasetReader"/>'s remarks.</summary>
internal static class TsReader
{
    public static TimeSeriesDataset Read(string path, ReadOptions options)
    {
        var expectedCases = DatasetReader.CountCaseLines(path, "@#%"u8);
        using var reader = Utf8LineReader.Open(path);
        var header = TsHeader.Read(reader);
        var shape = new ShapeCheck(reader, header);

        var labels = new LabelTable();
        foreach (var declared in header.Classes ?? [])
            labels.Add(declared);
        var builder = new DatasetBuilder(reader, expectedCases, options.Padding, header.Labelled);
        var values = new CaseBuffer(options.NonFiniteAsMissing);

        while (reader.TryReadLine(out var raw))
        {
            var line = Utf8Text.Trim(raw);
            if (line.IsEmpty || line[0] == (byte)'#')
                continue;
            if (line[0] == (byte)'@')
                throw reader.Fail($"expected a case after @data, found the header line {Utf8Text.Show(line)}.");

            var dimensions = line;
            string? label = null;
            if (header.Labelled)
            {
                var colon = header.TimeStamps ? LastTopLevelColon(line) : line.LastIndexOf((byte)':');
                if (colon < 0)
                {
                    throw reader.Fail(
                        "expected the dimensions then :<class label> (the header says @classLabel true), found no ':' and so no label.");
                }
                label = Label(reader, Utf8Text.Trim(line[(colon + 1)..]), header, labels);
                dimensions = line[..colon];
            }

            values.Clear();
            var dimension = 0;
            while (true)
            {
                var colon = header.TimeStamps ? FirstTopLevelColon(dimensions) : dimensions.IndexOf((byte)':');
                var text = colon < 0 ? dimensions : dimensions[..colon];
                dimension++;
                if (header.TimeStamps)
                    ReadTimeStampedDimension(reader, text, dimension, values);
                else
                    ReadDimension(reader, text, dimension, values);
                values.EndChannel();
                shape.CheckDimensionLength(values, dimension);
                if (colon < 0)
                    break;
                dimensions = dimensions[(colon + 1)..];
            }
            shape.CheckDimensions(values.Channels);
            builder.Add(values, label);
        }

        return builder.Build(
            DatasetReader.NameOf(path, header.ProblemName, options), header.Classes,
            "expected at least one case after @data, found none.");
    }

    private static void ReadDimension(Utf8LineReader reader, ReadOnlySpan<byte> text, int dimension, CaseBuffer values)
    {
        if (Utf8Text.Trim(text).IsEmpty)
            throw reader.Fail($"expected values in dimension {dimension}, found none.");
        var column = 1;
        while (true)
        {
            var comma = text.IndexOf((byte)',');
            var field = comma < 0 ? text : text[..comma];
            if (!values.TryParse(field, out var value))
                throw NotANumber(reader, field, dimension, column);
            values.Add(value);
            if (comma < 0)
                return;
            text = text[(comma + 1)..];
            column++;
        }
    }

    /// <summary>Reads <c>(timestamp,value),(timestamp,value),...</c>, keeping the values in order.</summary>
    private static void ReadTimeStampedDimension(Utf8LineReader reader, ReadOnlySpan<byte> text, int dimension, CaseBuffer values)
    {
        var rest = Utf8Text.Trim(text);
        if (rest.IsEmpty)
            throw reader.Fail($"expected values in dimension {dimension}, found none.");
        var column = 1;
        while (!rest.IsEmpty)
        {
            var close = rest.IndexOf((byte)')');
            if (rest[0] != (byte)'(' || close < 0)
            {
                throw reader.Fail(
                    $"expected (timestamp,value) pairs (the header says @timeStamps true), found {Utf8Text.Show(rest)} in dimension {dimension}, column {column}.");
            }
            var pair = rest[1..close];
            var comma = pair.LastIndexOf((byte)',');
            if (comma < 0)
            {
                throw reader.Fail(
                    $"expected (timestamp,value), found {Utf8Text.Show(rest[..(close + 1)])} in dimension {dimension}, column {column}.");
            }
            if (!values.TryParse(pair[(comma + 1)..], out var value))
                throw NotANumber(reader, pair[(comma + 1)..], dimension, column);
            values.Add(value);

            rest = Utf8Text.Trim(rest[(close + 1)..]);
            if (!rest.IsEmpty)
            {
                if (rest[0] != (byte)',')
                    throw reader.Fail($"expected , between pairs, found {Utf8Text.Show(rest)} in dimension {dimension}.");
                rest = Utf8Text.Trim(rest[1..]);
            }
            column++;
        }
    }

    private static string Label(Utf8LineReader reader, ReadOnlySpan<byte> field, TsHeader header, LabelTable labels)
    {
        if (field.IsEmpty)
            throw reader.Fail("expected a class label after the last ':', found nothing.");
        return labels.Find(field) ?? throw reader.Fail(
            $"expected a class declared by @classLabel ({string.Join(", ", header.Classes!)}), found {Utf8Text.Show(field)}.");
    }

    /// <summary>The first ':' outside parentheses: time stamps such as <c>(2007-01-01 00:00:00,1.5)</c> contain colons.</summary>
    private static int FirstTopLevelColon(ReadOnlySpan<byte> text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case (byte)'(':
                    depth++;
                    break;
                case (byte)')':
                    depth--;
                    break;
                case (byte)':' when depth == 0:
                    return i;
            }
        }
        return -1;
    }

    private static int LastTopLevelColon(ReadOnlySpan<byte> text)
    {
        var depth = 0;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            switch (text[i])
            {
                case (byte)')':
                    depth++;
                    break;
                case (byte)'(':
                    depth--;
                    break;
                case (byte)':' when depth == 0:
                    return i;
            }
        }
        return -1;
    }

    private static DatasetFormatException NotANumber(Utf8LineReader reader, ReadOnlySpan<byte> field, int dimension, int column)
        => reader.Fail($"expected a finite number or ?, found {Utf8Text.Show(Utf8Text.Trim(field))} in dimension {dimension}, column {column}.");

    /// <summary>Checks each case's dimensions and lengths against the header, or against the first case.</summary>
    private sealed class ShapeCheck(Utf8LineReader reader, TsHeader header)
    {
        private int _firstLength;
        private long _firstLengthLine;
        private int _firstDimensions;
        private long _firstDimensionsLine;

        /// <summary>With <c>@equalLength true</c>, every dimension has <c>@seriesLength</c> values (or the first case's count).</summary>
        public void CheckDimensionLength(CaseBuffer values, int dimension)
        {
            if (header.EqualLength != true)
                return;
            var found = values.Channel(dimension - 1).Length;
            int expected;
            string source;
            if (header.SeriesLength is { } declared)
            {
                (expected, source) = (declared, "from @seriesLength");
            }
            else
            {
                if (_firstLengthLine == 0)
                    (_firstLength, _firstLengthLine) = (found, reader.LineNumber);
                (expected, source) = (_firstLength, $"as in line {_firstLengthLine}");
            }
            if (found != expected)
            {
                var where = header.ExpectedDimensions?.Count == 1 ? "" : $" in dimension {dimension}";
                throw reader.Fail($"expected {expected} values per dimension ({source}), found {found}{where}.");
            }
        }

        public void CheckDimensions(int found)
        {
            int expected;
            string source;
            if (header.ExpectedDimensions is var (declared, declaredSource))
            {
                (expected, source) = (declared, declaredSource);
            }
            else
            {
                if (_firstDimensionsLine == 0)
                    (_firstDimensions, _firstDimensionsLine) = (found, reader.LineNumber);
                (expected, source) = (_firstDimensions, $"as in line {_firstDimensionsLine}");
            }
            if (found != expected)
                throw reader.Fail($"expected {expected} dimension{(expected == 1 ? "" : "s")} ({source}), found {found}.");
        }
    }
}
