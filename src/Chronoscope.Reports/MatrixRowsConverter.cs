using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chronoscope.Reports;

/// <summary>
/// Writes a matrix of counts one row to a line (<c>[3, 0, 1]</c>) inside otherwise indented JSON, where the indented
/// writer would put every count on a line of its own: a confusion matrix of 3,000 classes took 99 MB that way (27 MB
/// so), and at that rate more than a run record may hold once the classes pass about 5,000 (extrapolated). Reads any
/// JSON array of arrays of integers.
/// </summary>
internal sealed class MatrixRowsConverter : JsonConverter<long[][]>
{
    public override long[][] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<long[][]>(ref reader) ?? throw new JsonException("expected an array of rows of counts, found null.");

    public override void Write(Utf8JsonWriter writer, long[][] value, JsonSerializerOptions options)
    {
        // Written raw, the whole matrix at once: the writer does not indent raw values, so this does, to its depth.
        static string Row(long[] row) => "[" + string.Join(", ", row.Select(count => count.ToString(CultureInfo.InvariantCulture))) + "]";
        if (!options.WriteIndented || value.Length == 0)
        {
            writer.WriteRawValue("[" + string.Join(",", value.Select(Row)) + "]", skipInputValidation: true);
            return;
        }
        var indent = new string(options.IndentCharacter, options.IndentSize * writer.CurrentDepth);
        var inner = indent + new string(options.IndentCharacter, options.IndentSize);
        var text = new StringBuilder("[");
        for (var i = 0; i < value.Length; i++)
            text.Append(i == 0 ? "" : ",").Append(options.NewLine).Append(inner).Append(Row(value[i]));
        text.Append(options.NewLine).Append(indent).Append(']');
        writer.WriteRawValue(text.ToString(), skipInputValidation: true);
    }
}
