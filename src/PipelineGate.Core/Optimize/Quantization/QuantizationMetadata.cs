using System.Globalization;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Optimize.Quantization;

/// <summary>Records in the model's metadata what was done, by which PipelineGate version and with which options.</summary>
internal static class QuantizationMetadata
{
    public const string Key = "pipelinegate.quantization";

    public static void Stamp(ModelProto model, string mode, QuantizeOptions options, int nodes)
    {
        var version = typeof(QuantizationMetadata).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var value = string.Create(CultureInfo.InvariantCulture,
            $"{{\"tool\":\"PipelineGate {version}\",\"mode\":\"{mode}\",\"perChannel\":{(options.PerChannel ? "true" : "false")},\"method\":\"{options.Method}\",\"nodes\":{nodes},\"excludeOps\":[{string.Join(",", options.ExcludeOps.Order(StringComparer.Ordinal).Select(static o => $"\"{o}\""))}],\"excludeNodes\":{options.ExcludeNodes.Count}}}");
        var existing = model.MetadataProps.FirstOrDefault(static p => p.Key == Key);
        if (existing is null)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = Key, Value = value });
        }
        else
        {
            existing.Value = value;
        }
    }
}
