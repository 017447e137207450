namespace Chronoscope.Data.Formats;

/// <summary>Weka ARFF as the UCR/UEA archives write it; the rules are in <see cref="DatasetReader"/>'s remarks.</summary>
internal static class ArffReader
{
    public static TimeSeriesDataset Read(string path, ReadOptions options)
    {
        var expectedCases = DatasetReader.CountCaseLines(path, "@%"u8);
        using var reader = Utf8LineReader.Open(path);
        var header = ArffHeader.Read(reader);

        var labels = new LabelTable();
        foreach (var declared in header.Classes ?? [])
            labels.Add(declared);
        var builder = new DatasetBuilder(reader, expectedCases, options.Padding, labelled: header.Classes is not null);
        var values = new CaseBuffer(options.NonFiniteAsMissing);
        var channels = 0;
        long firstCaseLine = 0;

        while (reader.TryReadLine(out var raw))
        {
            var line = Utf8Text.Trim(raw);
            if (line.IsEmpty || line[0] == (byte)'%')
                continue;
            var lineNumber = reader.LineNumber;
            if (line[0] == (byte)'@')
                throw reader.Fail($"expected a case after @data, found the header line {Utf8Text.Show(line)}.");
            if (line[0] == (byte)'{')
                throw reader.Fail("expected a case with every value, found a sparse ARFF instance ({index value, ...}), which is not supported.");

            values.Clear();
            var labelField = header.IsRelational
                ? ReadRelationalCase(reader, line, header, values)
                : ReadUnivariateCase(reader, line, header, values);

            if (channels == 0)
            {
                channels = values.Channels;
                firstCaseLine = lineNumber;
            }
            else if (values.Channels != channels)
            {
                throw reader.Fail($"expected {channels} dimensions (as in line {firstCaseLine}), found {values.Channels}.");
            }

            var label = header.Classes is null ? null : Label(reader, labelField, header, labels);
            builder.Add(values, label);
        }

        return builder.Build(
            DatasetReader.NameOf(path, header.Relation, options), header.Classes,
            "expected at least one case after @data, found none.");
    }

    /// <summary>Parses <c>v1,v2,...,vL,label</c>; returns the label field.</summary>
    private static ReadOnlySpan<byte> ReadUnivariateCase(Utf8LineReader reader, ReadOnlySpan<byte> text, ArffHeader header, CaseBuffer values)
    {
        var length = header.Length;
        var row = values.Append(length);
        var rest = text;
        for (var j = 0; j < length; j++)
        {
            var comma = rest.IndexOf((byte)',');
            if (comma < 0)
                throw UnivariateFieldCount(reader, text, header);
            if (!values.TryParse(rest[..comma], out row[j]))
                throw NotANumber(reader, rest[..comma], $"column {j + 1}");
            rest = rest[(comma + 1)..];
        }
        values.EndChannel();

        var label = Utf8Text.Trim(rest);
        if (label.IsEmpty)
            throw reader.Fail($"expected a class label after the {length} values, found nothing.");
        if (!Utf8Text.IsQuote(label[0]) && label.Contains((byte)','))
            throw UnivariateFieldCount(reader, text, header);
        return label;
    }

    private static DatasetFormatException UnivariateFieldCount(Utf8LineReader reader, ReadOnlySpan<byte> text, ArffHeader header)
        => reader.Fail(
            $"expected {header.Length + 1} comma-separated fields ({header.Length} values from the numeric @attribute lines, then the class label), " +
            $"found {text.Count((byte)',') + 1}.");

    /// <summary>Parses <c>'v,v,...\nv,v,...',label</c>; returns the label field (empty when there is no class).</summary>
    private static ReadOnlySpan<byte> ReadRelationalCase(Utf8LineReader reader, ReadOnlySpan<byte> text, ArffHeader header, CaseBuffer values)
    {
        var quote = text[0];
        if (!Utf8Text.IsQuote(quote))
        {
            throw reader.Fail(
                $"expected the case as one quoted string ('v,v,...\\nv,v,...',label) for the relational attribute {header.RelationalName}, found {Utf8Text.Show(text)}.");
        }
        var close = text[1..].IndexOf(quote);
        if (close < 0)
            throw reader.Fail($"expected the closing {(char)quote} of the case's series, found the end of the line.");

        var body = text.Slice(1, close);
        var after = Utf8Text.Trim(text[(close + 2)..]);
        var label = ReadOnlySpan<byte>.Empty;
        if (header.Classes is not null)
        {
            if (after.IsEmpty || after[0] != (byte)',')
            {
                var found = after.IsEmpty ? "nothing" : Utf8Text.Show(after);
                throw reader.Fail($"expected ,<class label> after the quoted series, found {found}.");
            }
            label = Utf8Text.Trim(after[1..]);
            if (label.IsEmpty)
                throw reader.Fail("expected a class label after the quoted series, found nothing.");
        }
        else if (!after.IsEmpty)
        {
            throw reader.Fail(
                $"expected nothing after the quoted series (the header declares no class attribute), found {Utf8Text.Show(after)}.");
        }

        var dimension = 0;
        while (true)
        {
            var separator = body.IndexOf("\\n"u8);
            var channel = separator < 0 ? body : body[..separator];
            dimension++;
            ReadRelationalDimension(reader, channel, dimension, header, values);
            if (separator < 0)
                break;
            body = body[(separator + 2)..];
        }
        return label;
    }

    private static void ReadRelationalDimension(Utf8LineReader reader, ReadOnlySpan<byte> text, int dimension, ArffHeader header, CaseBuffer values)
    {
        var length = header.Length;
        var found = Utf8Text.Trim(text).IsEmpty ? 0 : text.Count((byte)',') + 1;
        if (found != length)
        {
            throw reader.Fail(
                $"expected {length} values in dimension {dimension} (from the {length} numeric attributes of {header.RelationalName}), found {found}.");
        }
        var row = values.Append(length);
        var rest = text;
        for (var j = 0; j < length; j++)
        {
            var comma = rest.IndexOf((byte)',');
            var field = comma < 0 ? rest : rest[..comma];
            if (!values.TryParse(field, out row[j]))
                throw NotANumber(reader, field, $"dimension {dimension}, column {j + 1}");
            rest = comma < 0 ? default : rest[(comma + 1)..];
        }
        values.EndChannel();
    }

    private static string Label(Utf8LineReader reader, ReadOnlySpan<byte> field, ArffHeader header, LabelTable labels)
    {
        if (Utf8Text.IsQuote(field[0]) && (field.Length < 2 || field[^1] != field[0]))
            throw reader.Fail($"expected a closing {(char)field[0]} after the class label, found {Utf8Text.Show(field)}.");
        var name = Utf8Text.Unquote(field);
        if (name.SequenceEqual("?"u8))
            throw reader.Fail("expected a class label, found ? (a missing class); every case needs its class.");
        return labels.Find(name) ?? throw reader.Fail(
            $"expected a class declared in @attribute {header.ClassAttribute} {{{string.Join(",", header.Classes!)}}}, found {Utf8Text.Show(name)}.");
    }

    private static DatasetFormatException NotANumber(Utf8LineReader reader, ReadOnlySpan<byte> field, string where)
        => reader.Fail($"expected a finite number or ?, found {Utf8Text.Show(Utf8Text.Trim(field))} in {where}.");
}
