using System.Globalization;
using System.Text;

namespace Chronoscope.Data.Formats;

/// <summary>
/// Writes a labelled, equal-length dataset in the sktime/UEA <c>.ts</c> format that <see cref="TsReader"/> reads:
/// a header (<c>@problemName</c> … <c>@classLabel true</c> with the classes, <c>@data</c>), then one line per series,
/// channels separated by <c>:</c>, the label last. Values in their shortest round-trip form, invariant culture.
/// </summary>
public static class TsWriter
{
    /// <summary>The file's text for <paramref name="data"/>.</summary>
    public static string Format(TimeSeriesDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Labels is not { } labels)
            throw new ArgumentException($"{data.Name}: only labelled data can be written as .ts here", nameof(data));
        if (!data.IsEqualLength)
            throw new ArgumentException($"{data.Name}: only equal-length data can be written as .ts here", nameof(data));
        // The reader splits the header's classes at whitespace and a line's label off at its last ':'.
        if (data.Classes.FirstOrDefault(c => c.Length == 0 || c.Any(ch => char.IsWhiteSpace(ch) || ch == ':')) is { } unwritable)
            throw new ArgumentException($"{data.Name}: class \"{unwritable}\" cannot be written as .ts: a .ts label has no spaces and no ':'", nameof(data));
        if (data.Name.Any(char.IsControl))
            throw new ArgumentException("the dataset's name holds a line break or another control character, which a .ts header cannot", nameof(data));
        var missing = false;
        foreach (var v in data.Values)
            missing |= float.IsNaN(v);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"@problemName {data.Name}\n@timeStamps false\n@missing {(missing ? "true" : "false")}\n");
        text.Append(CultureInfo.InvariantCulture, $"@univariate {(data.Channels == 1 ? "true" : "false")}\n@dimensions {data.Channels}\n");
        text.Append(CultureInfo.InvariantCulture, $"@equalLength true\n@seriesLength {data.Length}\n@classLabel true {string.Join(' ', data.Classes)}\n@data\n");
        for (var i = 0; i < data.Count; i++)
        {
            var series = data.Series(i);
            for (var c = 0; c < data.Channels; c++)
            {
                for (var t = 0; t < data.Length; t++)
                {
                    if (t > 0)
                        text.Append(',');
                    var value = series[c * data.Length + t];
                    if (float.IsNaN(value))
                        text.Append('?'); // the format's missing value
                    else
                        text.Append(value.ToString(CultureInfo.InvariantCulture));
                }
                text.Append(':');
            }
            text.Append(labels[i]).Append('\n');
        }
        return text.ToString();
    }
}
