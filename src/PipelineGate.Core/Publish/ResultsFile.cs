using System.Text.Json;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Report;

namespace PipelineGate.Publish;

/// <summary>
/// Reads a results.json back into the <see cref="GateResult"/> it was written from, for
/// <c>pipelinegate publish</c> and <c>merge</c>. The settings mirror the writer's (camelCase, enums as
/// camelCase strings, named NaN/Infinity); a round-trip test keeps the two in step.
/// </summary>
public static class ResultsFile
{
    /// <summary>The writer's settings (<see cref="MachineJson"/>), without the read-back converters.</summary>
    public static JsonSerializerOptions WriteOptions => MachineJson.Options;

    /// <summary>The writer's settings plus converters for the measurement types only the statistics code constructs.</summary>
    public static JsonSerializerOptions ReadOptions { get; } = new(WriteOptions)
    {
        Converters = { new StoredLatencyConverter(), new StoredComparisonConverter() },
    };

    public static GateResult Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new PipelineGateException(PgCode.ResultsFileInvalid, $"Results file '{path}' does not exist.", path,
                hint: "Pass the results.json that 'pipelinegate check' wrote (its --out folder, default pipelinegate-out/).");
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static GateResult Parse(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        string? schema;
        try
        {
            using var doc = JsonDocument.Parse(json);
            schema = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("schema", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (JsonException ex)
        {
            throw Invalid(path, $"is not valid JSON ({ex.Message})");
        }

        if (schema != GateResult.SchemaId)
        {
            throw new PipelineGateException(PgCode.ResultsSchemaMismatch,
                $"'{path}' has schema '{schema ?? "(none)"}', but this version reads {GateResult.SchemaId}.", path,
                hint: "Publish and merge results with the PipelineGate version that wrote them.");
        }

        try
        {
            return JsonSerializer.Deserialize<GateResult>(json, ReadOptions) ?? throw Invalid(path, "is empty");
        }
        catch (JsonException ex)
        {
            throw Invalid(path, $"does not hold a gate result ({ex.Message})");
        }
    }

    public static string Serialize(GateResult result) => JsonSerializer.Serialize(result, WriteOptions) + "\n";

    private static PipelineGateException Invalid(string path, string what) =>
        new(PgCode.ResultsFileInvalid, $"Results file '{path}' {what}.", path, hint: "Pass a results.json written by 'pipelinegate check'.");
}
