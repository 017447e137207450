using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chronoscope.Cli.Output;

/// <summary>The JSON files commands write (<c>evaluate --json</c>): indented snake_case, as <c>metrics.json</c>.</summary>
internal static class JsonOutput
{
    /// <summary>Indented snake_case JSON; NaN (a metric without data) as the string "NaN".</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // a file, not HTML: '+' and '\'' as themselves
    };
}
