namespace Chronoscope.Data.Formats;

/// <summary>What an ARFF header says about the cases that follow <c>@data</c>.</summary>
internal sealed class ArffHeader
{
    private ArffHeader(string? relation, int length, string? relationalName, string? classAttribute, IReadOnlyList<string>? classes)
    {
        Relation = relation;
        Length = length;
        RelationalName = relationalName;
        ClassAttribute = classAttribute;
        Classes = classes;
    }

    /// <summary>The <c>@relation</c> name, unquoted, or null.</summary>
    public string? Relation { get; }

    /// <summary>Values per dimension: the numeric attributes (univariate) or the relational attribute's nested ones.</summary>
    public int Length { get; }

    /// <summary>The relational attribute's name for multivariate files, else null.</summary>
    public string? RelationalName { get; }

    public bool IsRelational => RelationalName is not null;

    /// <summary>The class attribute's name, or null when there is none (unlabelled relational data).</summary>
    public string? ClassAttribute { get; }

    /// <summary>The classes the nominal class attribute declares, in declaration order, or null.</summary>
    public IReadOnlyList<string>? Classes { get; }

    /// <summary>Reads up to and including <c>@data</c>.</summary>
    public static ArffHeader Read(Utf8LineReader reader)
    {
        string? relation = null;
        var attributes = new List<Attribute>();
        Attribute? openRelational = null;
        var sawContent = false;

        while (reader.TryReadLine(out var raw))
        {
            var bytes = Utf8Text.Trim(raw);
            if (bytes.IsEmpty || bytes[0] == (byte)'%')
            {
                sawContent |= !bytes.IsEmpty;
                continue;
            }
            sawContent = true;
            if (bytes[0] != (byte)'@')
            {
                throw reader.Fail(
                    $"expected the ARFF header (@relation, @attribute ..., @data) before the data, found {Utf8Text.Show(bytes)}.");
            }

            var text = Utf8Text.Decode(bytes);
            var split = text.IndexOfAny([' ', '\t']);
            var keyword = (split < 0 ? text : text[..split]).ToLowerInvariant();
            var rest = split < 0 ? "" : text[split..].Trim();
            switch (keyword)
            {
                case "@relation":
                    relation = Unquote(rest);
                    break;

                case "@attribute":
                    var attribute = ParseAttribute(reader, rest);
                    if (openRelational is not null)
                    {
                        if (attribute.Kind != AttributeKind.Numeric)
                        {
                            throw reader.Fail(
                                $"expected numeric attributes inside the relational attribute {openRelational.Name}, found {attribute.TypeText} attribute {attribute.Name}.");
                        }
                        openRelational.NestedNumeric++;
                    }
                    else
                    {
                        attributes.Add(attribute);
                        if (attribute.Kind == AttributeKind.Relational)
                            openRelational = attribute;
                    }
                    break;

                case "@end":
                    if (openRelational is null)
                        throw reader.Fail("expected @end only to close a relational attribute, found it with none open.");
                    openRelational = null;
                    break;

                case "@data":
                    if (openRelational is not null)
                        throw reader.Fail($"expected @end {openRelational.Name} before @data, found @data.");
                    return FromAttributes(reader, relation, attributes);

                default:
                    throw reader.Fail(
                        $"expected @relation, @attribute, @end or @data, found {Utf8Text.Show(text.Split([' ', '\t'])[0])}.");
            }
        }

        if (!sawContent)
        {
            throw reader.FailAtEnd(
                reader.LineNumber == 0
                    ? "expected an ARFF header (@relation, @attribute ..., @data), found an empty file."
                    : "expected an ARFF header (@relation, @attribute ..., @data), found only blank lines.");
        }
        throw reader.Fail("expected @data after the header, found the end of the file.");
    }

    private static ArffHeader FromAttributes(Utf8LineReader reader, string? relation, List<Attribute> attributes)
    {
        if (attributes.Count == 0)
            throw reader.Fail("expected @attribute lines before @data, found none.");

        var relational = attributes.FindIndex(a => a.Kind == AttributeKind.Relational);
        if (relational >= 0)
        {
            var series = attributes[relational];
            if (relational != 0)
            {
                throw reader.FailAt(series.Line,
                    $"expected the relational attribute first (the series, then the class), found it after {attributes[0].Name}.");
            }
            if (series.NestedNumeric == 0)
                throw reader.FailAt(series.Line, $"expected numeric attributes inside the relational attribute {series.Name}, found none.");
            if (attributes.Count > 2)
            {
                throw reader.FailAt(attributes[2].Line,
                    $"expected at most the class attribute after the relational attribute {series.Name}, found another: {attributes[2].Name}.");
            }
            if (attributes.Count == 1)
                return new ArffHeader(relation, series.NestedNumeric, series.Name, null, null);
            var target = CheckClassAttribute(reader, attributes[1]);
            return new ArffHeader(relation, series.NestedNumeric, series.Name, target.Name, target.Values);
        }

        var classAttribute = CheckClassAttribute(reader, attributes[^1]);
        for (var i = 0; i < attributes.Count - 1; i++)
        {
            if (attributes[i].Kind != AttributeKind.Numeric)
            {
                throw reader.FailAt(attributes[i].Line,
                    $"expected numeric attributes (one per time step) before the class attribute, found {attributes[i].TypeText} attribute {attributes[i].Name}.");
            }
        }
        if (attributes.Count == 1)
            throw reader.Fail("expected numeric attributes (one per time step) before the class attribute, found none.");
        return new ArffHeader(relation, attributes.Count - 1, null, classAttribute.Name, classAttribute.Values);
    }

    private static Attribute CheckClassAttribute(Utf8LineReader reader, Attribute attribute)
    {
        if (attribute.Kind != AttributeKind.Nominal)
        {
            throw reader.FailAt(attribute.Line,
                $"expected the class attribute last, nominal like @attribute target {{1,2}}, found {attribute.TypeText} attribute {attribute.Name}; " +
                "regression and unlabelled univariate ARFF files are not supported.");
        }
        return attribute;
    }

    private static Attribute ParseAttribute(Utf8LineReader reader, string rest)
    {
        string name;
        string type;
        if (rest.Length > 0 && rest[0] is '\'' or '"')
        {
            var close = rest.IndexOf(rest[0], 1);
            if (close < 0)
                throw reader.Fail($"expected a closing {rest[0]} after the attribute name, found the end of the line.");
            name = rest[1..close];
            type = rest[(close + 1)..].Trim();
        }
        else
        {
            var end = rest.IndexOfAny([' ', '\t', '{']);
            name = end < 0 ? rest : rest[..end];
            type = end < 0 ? "" : rest[end..].Trim();
        }
        if (name.Length == 0 || type.Length == 0)
            throw reader.Fail($"expected @attribute <name> <type>, found {Utf8Text.Show("@attribute " + rest)}.");

        if (type[0] == '{')
        {
            if (type[^1] != '}')
                throw reader.Fail($"expected }} closing the nominal values of {name}, found {Utf8Text.Show(type)}.");
            var values = SplitNominal(type[1..^1]);
            if (values.Count == 0 || values.Any(v => v.Length == 0))
                throw reader.Fail($"expected nominal values like {{1,2}} for {name}, found {Utf8Text.Show(type)}.");
            return new Attribute(name, AttributeKind.Nominal, "nominal", values, reader.LineNumber);
        }
        var keyword = type.Split([' ', '\t'])[0].ToLowerInvariant();
        var kind = keyword switch
        {
            "numeric" or "real" or "integer" => AttributeKind.Numeric,
            "relational" => AttributeKind.Relational,
            "string" or "date" => AttributeKind.Other,
            _ => throw reader.Fail(
                $"expected an attribute type (numeric, real, integer, relational or {{nominal values}}), found {Utf8Text.Show(type)}."),
        };
        return new Attribute(name, kind, keyword, [], reader.LineNumber);
    }

    /// <summary>Splits <c>a, 'b c', "d"</c> on the commas outside quotes, trimming and unquoting each value.</summary>
    private static List<string> SplitNominal(string text)
    {
        var values = new List<string>();
        if (text.Trim().Length == 0)
            return values;
        var start = 0;
        char? quote = null;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && quote is not null)
            {
                if (text[i] == quote)
                    quote = null;
                continue;
            }
            if (i < text.Length && text[i] is '\'' or '"')
            {
                quote = text[i];
                continue;
            }
            if (i == text.Length || text[i] == ',')
            {
                values.Add(Unquote(text[start..i].Trim()));
                start = i + 1;
            }
        }
        return values;
    }

    private static string Unquote(string text)
        => text.Length >= 2 && text[0] is '\'' or '"' && text[^1] == text[0] ? text[1..^1] : text;

    private enum AttributeKind
    {
        Numeric,
        Nominal,
        Relational,
        Other,
    }

    private sealed class Attribute(string name, AttributeKind kind, string typeText, List<string> values, long line)
    {
        public string Name { get; } = name;

        public AttributeKind Kind { get; } = kind;

        public string TypeText { get; } = typeText;

        public List<string> Values { get; } = values;

        public long Line { get; } = line;

        public int NestedNumeric { get; set; }
    }
}
