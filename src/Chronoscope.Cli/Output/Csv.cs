using System.Globalization;

namespace Chronoscope.Cli.Output;

/// <summary>CSV fields as RFC 4180 writes them, numbers in the invariant culture.</summary>
internal static class Csv
{
    /// <summary>The field as is, or quoted (inner quotes doubled) when it holds a comma, a quote or a line break.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A row of fields, escaped and joined by commas.</summary>
    public static string Row(IEnumerable<string> fields) => string.Join(",", fields.Select(Field));

    /// <summary>The shortest text that reads back as the same float (<c>0.9866667</c>, <c>1E-05</c>).</summary>
    public static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The shortest text that reads back as the same double.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
