using PipelineGate.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Signature;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Bench;
using PipelineGate.Measure.Evaluation;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Size;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Runtime;

namespace PipelineGate.Init;

/// <summary>
/// Inspects and measures each model the way <c>pipelinegate check</c> will (one CPU thread, the same timing
/// inputs, the same int8 recipe), so that the budgets init writes pass on this runner at once.
/// </summary>
public static class InitPlanner
{
    /// <summary>Folder names next to a model that are taken as its evaluation data.</summary>
    public static readonly string[] DataFolders = ["eval", "data", "test", "validation", "val"];

    private static readonly string[] QuantizedOps = ["QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "MatMulInteger", "ConvInteger", "QLinearMatMul", "QLinearConv", "com.microsoft:DynamicQuantizeMatMul", "com.microsoft:MatMulIntegerToFloat", "com.microsoft:MatMulNBits"];

    private static readonly SourceLocation NoLocation = new("pipelinegate.yml", 0, 0);

    public static ModelPlan Plan(string configDirectory, string modelPath, InitOptions options, IProgress<string>? progress = null)
    {
        var relative = Path.GetRelativePath(configDirectory, modelPath).Replace('\\', '/');
        var name = UniqueName(Path.GetFileNameWithoutExtension(modelPath));
        try
        {
            return Measure(configDirectory, modelPath, relative, name, options, progress);
        }
        catch (PipelineGateException ex)
        {
            return new ModelPlan { RelativePath = relative, Name = name, Unusable = ex.Diagnostic.ToString() };
        }
    }

    private static ModelPlan Measure(string configDirectory, string modelPath, string relative, string name, InitOptions options, IProgress<string>? progress)
    {
        var file = ModelFile.Load(modelPath);
        var facts = ModelInspector.Inspect(file, countNonzero: false);
        if (OrtKernelTable.For(OrtEnvironment.Version) is { } table)
        {
            var config = new ModelConfig
            {
                Name = name, Path = modelPath, RelativePath = relative, Targets = [], Variants = [], Budgets = [], Measure = MeasureConfig.Default, Location = NoLocation,
            };
            if (TargetCompatibility.Loadability(config, file.Model, table) is [var blocked, ..])
            {
                return new ModelPlan { RelativePath = relative, Name = name, Unusable = $"{Diagnostic.FormatCode(blocked.Code!.Value)}: {blocked.Message}" };
            }
        }

        var size = SizeMeter.Measure(file, facts);
        var session = SessionConfig.Default with { IntraOpThreads = 1 };
        progress?.Report($"{relative}: evaluation data");
        var data = FindData(configDirectory, modelPath, session);
        var dataConfig = data is null ? null : DataConfigOf(configDirectory, data);
        // Without data, check times random inputs with symbolic sizes at 1 and warns (PG4005). Init measures
        // the same way and writes those sizes as visible placeholders, so the config passes at once and
        // the user sees where the real sizes go; a hidden 1 would be worse than the warning.
        var filled = dataConfig is null ? SymbolicDims.Filled(file, new Dictionary<string, long>(StringComparer.Ordinal)) : [];
        var unnamed = filled.Where(static f => f.Name.Contains('[', StringComparison.Ordinal)).Select(static f => f.Name).ToList();
        var placeholders = filled.Select(static f => f.Name).Except(unnamed, StringComparer.Ordinal).ToList();
        progress?.Report($"{relative}: latency");
        var latency = Latency(modelPath, dataConfig, session, options);
        var (int8, note) = Int8(configDirectory, modelPath, name, facts, dataConfig, session, options, progress, relative);
        return new ModelPlan
        {
            RelativePath = relative,
            Name = name,
            Signature = ModelSignature.Of(file.Model).Hash,
            FileBytes = size.TotalBytes,
            Parameters = size.ParameterCount,
            Latency = latency,
            Data = data,
            Int8 = int8,
            Int8Note = note,
            PlaceholderDims = placeholders,
            UnnamedDims = unnamed,
        };
    }

    private static LatencyPlan Latency(string modelPath, DataConfig? data, SessionConfig session, InitOptions options)
    {
        var bench = new BenchOptions
        {
            Session = session,
            Latency = LatencyOptions.Default with { Duration = options.Duration, MaxExtensions = 0 },
            Inputs = TimingInputs.From(modelPath, data, session),
        };
        var summary = ModelBenchmark.Run(modelPath, null, bench).Candidate.Latency.Summary;
        var p90 = summary.P90;
        return new LatencyPlan(p90.Value, p90.Interval?.Upper ?? summary.Max, summary.Count);
    }

    private static (Int8Plan? Plan, string? Note) Int8(string configDirectory, string modelPath, string name, ModelFacts facts, DataConfig? data, SessionConfig session, InitOptions options, IProgress<string>? progress, string relative)
    {
        if (facts.Operators.Any(static o => QuantizedOps.Contains(o.Op, StringComparer.Ordinal)))
        {
            return (null, "already quantized: no int8 variant suggested");
        }

        if (!facts.Operators.Any(static o => o.Op is "MatMul" or "Gemm" or "LSTM" or "com.microsoft:Attention"))
        {
            return (null, "no MatMul, Gemm, LSTM or Attention: dynamic int8 quantization does not apply");
        }

        progress?.Report($"{relative}: int8 variant");
        var variant = new VariantConfig("int8", [new RecipeStep("quantize", new Dictionary<string, string>(StringComparer.Ordinal) { ["mode"] = "dynamic" }, NoLocation)], NoLocation);
        string path;
        try
        {
            path = VariantBuilder.Build(modelPath, variant, Path.Combine(options.WorkDirectory, "variants", name), new OptimizationContext(configDirectory, data), options.ToolVersion).Path;
        }
        catch (PipelineGateException ex)
        {
            return (null, $"int8 not suggested: {ex.Diagnostic.Message}");
        }

        var accuracy = data is { Labels: not null } ? Evaluate(path, data, session).Value : (double?)null;
        return (new Int8Plan(SizeMeter.Measure(ModelFile.Load(path)).TotalBytes, Latency(path, data, session, options), accuracy), null);
    }

    private static DataPlan? FindData(string configDirectory, string modelPath, SessionConfig session)
    {
        var folder = Path.GetDirectoryName(modelPath)!;
        foreach (var candidate in DataFolders.Select(d => Path.Combine(folder, d)).Where(Directory.Exists))
        {
            var files = Directory.GetFiles(candidate);
            var hasData = files.Any(static f => f.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                || Directory.GetDirectories(candidate, "test_data_set_*").Length > 0;
            if (!hasData)
            {
                continue;
            }

            var labels = files.Any(static f => Path.GetFileName(f).Equals("labels.npy", StringComparison.OrdinalIgnoreCase)) ? "labels" : null;
            var plan = new DataPlan(Path.GetRelativePath(configDirectory, candidate).Replace('\\', '/'), labels, "top1", null, null);
            try
            {
                if (labels is null)
                {
                    _ = TimingInputs.From(modelPath, DataConfigOf(configDirectory, plan), session);
                    return plan;
                }

                var result = Evaluate(modelPath, DataConfigOf(configDirectory, plan), session);
                return double.IsNaN(result.Value) ? plan with { Labels = null } : plan with { Accuracy = result.Value, AccuracyLower = result.Lower };
            }
            catch (PipelineGateException)
            {
                // Not this model's data (other inputs, other shape): leave it unwired rather than write a config that fails.
            }
        }

        return null;
    }

    private static (double Value, double? Lower) Evaluate(string modelPath, DataConfig data, SessionConfig session)
    {
        var result = ModelEvaluator.Evaluate(modelPath, data, "top1", session);
        double? lower = result.Correct is { Length: > 0 } correct ? ProportionInterval.Of(correct).Lower : null;
        return (result.Value, lower);
    }

    private static DataConfig DataConfigOf(string configDirectory, DataPlan data) =>
        new(Path.GetFullPath(Path.Combine(configDirectory, data.RelativePath)), data.RelativePath, data.Labels, new Dictionary<string, string>(StringComparer.Ordinal), null, NoLocation);

    private static string UniqueName(string stem)
    {
        var chars = stem.Select(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray();
        var name = new string(chars).TrimStart('.', '_', '-');
        return name.Length == 0 ? "model" : name;
    }
}
