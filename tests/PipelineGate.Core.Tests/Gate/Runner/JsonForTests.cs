using System.Text.Json;
using System.Text.Json.Serialization;

namespace PipelineGate.Tests.Gate.Runner;

/// <summary>The CLI's JSON settings (camelCase, enums as strings), so stored results look like real ones.</summary>
internal static class JsonForTests
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
