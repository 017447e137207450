namespace Chronoscope.Data.Formats;

/// <summary>The sktime/aeon <c>.ts</c> format; the rules are in <see cref="DatasetReader"/>'s remarks.</summary>
internal static class TsReader
{
    public static TimeSeriesDataset Read(string path, ReadOptions options)
    {
        var expectedCases = DatasetReader.CountCaseLines(path, "@#%"u8);
        using var reader = Utf8LineReader.Open(path);
        var header = TsHeader.Read(reader, path);
        var shape = new ShapeCheck(path, header);

        var labels = new LabelTable();
        foreach (var declared in header.Classes ?? [])
            labels.Add(declared);
        var builder = new DatasetBuilder(path, expectedCases, options.Padding, header.Labelled);
        var values = new CaseBuffer(options.NonFiniteAsMissing);

        while (reader.TryReadLine(out var raw))
        {
            var line = Utf8Text.Trim(raw);
            if (line.IsEmpty || line[0] == (byte)'#')
                continue;
            var lineNumber = reader.LineNumber;
            if (line[0] == (byte)'@')
                throw new DatasetFormatException(path, lineNumber, $"expected a case after @data, found the header line {Utf8Text.Show(line)}.");

            var dimensions = line;
            string? label = null;
            if (header.Labelled)
            {
                var colon = header.TimeStamps ? LastTopLevelColon(line) : line.LastIndexOf((byte)':');
                if (colon < 0)
                {
                    throw new DatasetFormatException(path, lineNumber,
                        "expected the dimensions then :<class label> (the header says @classLabel true), found no ':' and so no label.");
                }
                label = Label(path, lineNumber, Utf8Text.Trim(line[(colon + 1)..]), header, labels);
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
                    ReadTimeStampedDimension(path, lineNumber, text, dimension, values);
                else
                    ReadDimension(path, lineNumber, text, dimension, values);
                values.EndChannel();
                shape.CheckDimensionLength(lineNumber, values, dimension);
                if (colon < 0)
                    break;
                dimensions = dimensions[(colon + 1)..];
            }
            shape.CheckDimensions(lineNumber, values.Channels);
            builder.Add(values, label, lineNumber);
        }

        return builder.Build(
            DatasetReader.NameOf(path, header.ProblemName, options), header.Classes, Math.Max(1, reader.LineNumber),
            "expected at least one case after @data, found none.");
    }

    private static void ReadDimension(string path, long line, ReadOnlySpan<byte> text, int dimension, CaseBuffer values)
    {
        if (Utf8Text.Trim(text).IsEmpty)
            throw new DatasetFormatException(path, line, $"expected values in dimension {dimension}, found none.");
        var column = 1;
        while (true)
        {
            var comma = text.IndexOf((byte)',');
            var field = comma < 0 ? text : text[..comma];
            if (!values.TryParse(field, out var value))
                throw NotANumber(path, line, field, dimension, column);
            values.Add(value);
            if (comma < 0)
                return;
            text = text[(comma + 1)..];
            column++;
        }
    }

    /// <summary>Reads <c>(timestamp,value),(timestamp,value),...</c>, keeping the values in order.</summary>
    private static void ReadTimeStampedDimension(string path, long line, ReadOnlySpan<byte> text, int dimension, CaseBuffer values)
    {
        var rest = Utf8Text.Trim(text);
        if (rest.IsEmpty)
            throw new DatasetFormatException(path, line, $"expected values in dimension {dimension}, found none.");
        var column = 1;
        while (!rest.IsEmpty)
        {
            var close = rest.IndexOf((byte)')');
            if (rest[0] != (byte)'(' || close < 0)
            {
                throw new DatasetFormatException(path, line,
                    $"expected (timestamp,value) pairs (the header says @timeStamps true), found {Utf8Text.Show(rest)} in dimension {dimension}, column {column}.");
            }
            var pair = rest[1..close];
            var comma = pair.LastIndexOf((byte)',');
            if (comma < 0)
            {
                throw new DatasetFormatException(path, line,
                    $"expected (timestamp,value), found {Utf8Text.Show(rest[..(close + 1)])} in dimension {dimension}, column {column}.");
            }
            if (!values.TryParse(pair[(comma + 1)..], out var value))
                throw NotANumber(path, line, pair[(comma + 1)..], dimension, column);
            values.Add(value);

            rest = Utf8Text.Trim(rest[(close + 1)..]);
            if (!rest.IsEmpty)
            {
                if (rest[0] != (byte)',')
                    throw new DatasetFormatException(path, line, $"expected , between pairs, found {Utf8Text.Show(rest)} in dimension {dimension}.");
                rest = Utf8Text.Trim(rest[1..]);
            }
            column++;
        }
    }

    private static string Label(string path, long line, ReadOnlySpan<byte> field, TsHeader header, LabelTable labels)
    {
        if (field.IsEmpty)
            throw new DatasetFormatException(path, line, "expected a class label after the last ':', found nothing.");
        return labels.Find(field) ?? throw new DatasetFormatException(path, line,
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

    private static DatasetFormatException NotANumber(string path, long line, ReadOnlySpan<byte> field, int dimension, int column)
        => new(path, line, $"expected a finite number or ?, found {Utf8Text.Show(Utf8Text.Trim(field))} in dimension {dimension}, column {column}.");

    /// <summary>Checks each case's dimensions and lengths against the header, or against the first case.</summary>
    private sealed class ShapeCheck(string path, TsHeader header)
    {
        private int _firstLength;
        private long _firstLengthLine;
        private int _firstDimensions;
        private long _firstDimensionsLine;

        /// <summary>With <c>@equalLength true</c>, every dimension has <c>@seriesLength</c> values (or the first case's count).</summary>
        public void CheckDimensionLength(long line, CaseBuffer values, int dimension)
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
                    (_firstLength, _firstLengthLine) = (found, line);
                (expected, source) = (_firstLength, $"as in line {_firstLengthLine}");
            }
            if (found != expected)
            {
                var where = header.ExpectedDimensions?.Count == 1 ? "" : $" in dimension {dimension}";
                throw new DatasetFormatException(path, line, $"expected {expected} values per dimension ({source}), found {found}{where}.");
            }
        }

        public void CheckDimensions(long line, int found)
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
                    (_firstDimensions, _firstDimensionsLine) = (found, line);
                (expected, source) = (_firstDimensions, $"as in line {_firstDimensionsLine}");
            }
            if (found != expected)
                throw new DatasetFormatException(path, line, $"expected {expected} dimension{(expected == 1 ? "" : "s")} ({source}), found {found}.");
        }
    }
}
