using System.Text.Json;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Bench;
using PipelineGate.Measure.Size;
using PipelineGate.Measure.Statistics;
using PipelineGate.Onnx.Facts;

namespace PipelineGate.Gate.Baselines;

/// <summary>
/// A results.json from an earlier run used as the baseline. It is read field by field (not
/// deserialized into the result types), so older files with extra or missing fields still work;
/// latency summaries are recomputed from the stored raw samples.
/// </summary>
public sealed class StoredBaseline
{
    private readonly Dictionary<(string Model, string Variant), (SizeReport? Size, AccuracyResult? Accuracy, AccuracyResult? Similarity)> _variants = new();
    private readonly Dictionary<(string Model, string Variant, string Target), double[]> _samples = new();
    private readonly Dictionary<string, ModelSignature?> _signatures = new(StringComparer.Ordinal);

    private StoredBaseline(string path, string runnerDescription, IReadOnlyDictionary<string, string> runner)
    {
        Path = path;
        RunnerDescription = runnerDescription;
        Runner = runner;
    }

    public string Path { get; }

    public string RunnerDescription { get; }

    /// <summary>The stored fingerprint's fields (cpuModel, logicalCores, onnxRuntimeVersion, provider, intraOpThreads...).</summary>
    public IReadOnlyDictionary<string, string> Runner { get; }

    public static StoredBaseline Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new PipelineGateException(PgCode.DataNotFound, $"Baseline results file '{path}' does not exist.", path,
                hint: "Create it with 'pipelinegate baseline save', or pass --baseline-ref instead.");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new PipelineGateException(PgCode.TensorFileInvalid, $"Baseline results '{path}' is not valid JSON: {ex.Message}", path, (int?)(ex.LineNumber + 1));
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (!root.TryGetProperty("schema", out var schema) || schema.GetString() != GateResult.SchemaId)
            {
                throw new PipelineGateException(PgCode.TensorFileInvalid, $"'{path}' is not a PipelineGate results file (expected schema {GateResult.SchemaId}).", path);
            }

            var runner = root.GetProperty("runner").EnumerateObject()
                .Where(static p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                .ToDictionary(static p => p.Name, static p => p.Value.ToString(), StringComparer.Ordinal);
            var result = new StoredBaseline(path, runner.GetValueOrDefault("cpuModel", "unknown"), runner);
            foreach (var model in root.GetProperty("models").EnumerateArray())
            {
                var modelName = model.GetProperty("name").GetString()!;
                result._signatures[modelName] = ReadSignature(model);
                foreach (var variant in model.GetProperty("variants").EnumerateArray())
                {
                    var variantName = variant.GetProperty("name").GetString()!;
                    result._variants[(modelName, variantName)] = (ReadSize(variant), ReadAccuracy(variant, "accuracy"), ReadAccuracy(variant, "similarity"));
                    foreach (var target in variant.GetProperty("targets").EnumerateArray())
                    {
                        if (target.TryGetProperty("latency", out var latency) && latency.ValueKind == JsonValueKind.Object
                            && latency.TryGetProperty("samplesMs", out var samples) && samples.ValueKind == JsonValueKind.Array)
                        {
                            result._samples[(modelName, variantName, target.GetProperty("target").GetString()!)] = samples.EnumerateArray().Select(static s => s.GetDouble()).ToArray();
                        }
                    }
                }
            }

            return result;
        }
    }

    /// <summary>Whether the stored results list the model at all.</summary>
    public bool HasModel(string model) => _signatures.ContainsKey(model);

    /// <summary>The stored model's signature; null when the model is not stored or the file predates signatures.</summary>
    public ModelSignature? Signature(string model) => _signatures.GetValueOrDefault(model);

    public SizeReport? Size(string model, string variant) => _variants.GetValueOrDefault((model, variant)).Size;

    public AccuracyResult? Accuracy(string model, string variant) => _variants.GetValueOrDefault((model, variant)).Accuracy;

    /// <summary>The stored similarity.spearman of the variant (results files before it have none).</summary>
    public AccuracyResult? Similarity(string model, string variant) => _variants.GetValueOrDefault((model, variant)).Similarity;

    /// <summary>The stored latency as a measurement (summary recomputed from the raw samples), or null.</summary>
    public LatencyMeasurement? Latency(string model, string variant, string target, double confidence) =>
        _samples.TryGetValue((model, variant, target), out var s) && s.Length >= 2
            ? new LatencyMeasurement(SampleSummary.Compute(s, confidence), 0, true, 0, s)
            : null;

    /// <summary>Differences between the stored runner and this one that make timings incomparable.</summary>
    public IReadOnlyList<string> RunnerDifferences(Measure.Environment.RunnerFingerprint current)
    {
        var d = new List<string>();
        void Check(string key, string value)
        {
            if (Runner.TryGetValue(key, out var stored) && !string.Equals(stored, value, StringComparison.Ordinal))
            {
                d.Add($"{key}: stored {stored}, now {value}");
            }
        }

        Check("cpuModel", current.CpuModel);
        Check("logicalCores", current.LogicalCores.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Check("onnxRuntimeVersion", current.OnnxRuntimeVersion);
        Check("provider", current.Provider);
        Check("intraOpThreads", current.IntraOpThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return d;
    }

    private static SizeReport? ReadSize(JsonElement variant)
    {
        if (!variant.TryGetProperty("size", out var s) || s.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        long L(string name) => s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        return new SizeReport
        {
            FileBytes = L("fileBytes"),
            ExternalDataBytes = L("externalDataBytes"),
            CompressedBytes = L("compressedBytes"),
            ParameterCount = L("parameterCount"),
            NonzeroParameterCount = L("nonzeroParameterCount"),
            BytesByType = new Dictionary<string, long>(),
            Macs = L("macs"),
            MacsComplete = s.TryGetProperty("macsComplete", out var c) && c.ValueKind == JsonValueKind.True,
        };
    }

    private static ModelSignature? ReadSignature(JsonElement model)
    {
        if (!model.TryGetProperty("signature", out var s) || s.ValueKind != JsonValueKind.Object
            || !s.TryGetProperty("inputs", out var inputs) || !s.TryGetProperty("outputs", out var outputs))
        {
            return null;
        }

        static ValueFact[] Values(JsonElement list) => list.EnumerateArray()
            .Select(static v => new ValueFact(v.GetProperty("name").GetString()!, v.GetProperty("elementType").GetString()!,
                v.GetProperty("shape").EnumerateArray().Select(static d => d.GetString()!).ToArray()))
            .ToArray();
        return new ModelSignature(Values(inputs), Values(outputs));
    }

    private static AccuracyResult? ReadAccuracy(JsonElement variant, string property) =>
        variant.TryGetProperty(property, out var a) && a.ValueKind == JsonValueKind.Object
            ? new AccuracyResult(a.GetProperty("metric").GetString()!, a.GetProperty("value").GetDouble(), a.GetProperty("samples").GetInt32())
            : null;
}
