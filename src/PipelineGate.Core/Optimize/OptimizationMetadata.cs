using System.Text.Json;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Optimize;

/// <summary>Records in a model's metadata_props what a step did (one JSON value per key), so a reader of the file can tell.</summary>
internal static class OptimizationMetadata
{
    public static string ToolVersion => typeof(OptimizationMetadata).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static void Stamp(ModelProto model, string key, IReadOnlyDictionary<string, object> fields)
    {
        var all = new Dictionary<string, object>(StringComparer.Ordinal) { ["tool"] = $"PipelineGate {ToolVersion}" };
        foreach (var (k, v) in fields)
        {
            all[k] = v;
        }

        var value = JsonSerializer.Serialize(all);
        var existing = model.MetadataProps.FirstOrDefault(p => p.Key == key);
        if (existing is null)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        else
        {
            existing.Value = value;
        }
    }
}
