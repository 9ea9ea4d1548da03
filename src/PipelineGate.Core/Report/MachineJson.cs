using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineGate.Report;

/// <summary>
/// The one JSON writer of every machine-readable output (results, bench, eval, inspect, doctor):
/// camelCase, indented, nulls left out, enums as camelCase strings, non-ASCII unescaped, invariant
/// numbers, and a final newline. docs/schemas/README.md describes these conventions.
/// </summary>
public static class MachineJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

        // A model that outputs NaN must still get a report: write "NaN"/"Infinity" rather than fail to serialize.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";
}
