using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Runtime;

namespace PipelineGate.Gate.Signature;

/// <summary>
/// Judges a model against what the pinned ONNX Runtime and the declared targets support, from the committed
/// kernel table (<see cref="OrtKernelTable"/>): opsets and IR version above the runtime's (PG4511, PG4512),
/// node domains that need a custom-op library (PG4514) — all three keep the model from loading, so they fail —
/// and ops a declared GPU provider has no kernel for, which run on CPU instead (PG4513, a warning).
/// Exact and deterministic: nothing is measured.
/// </summary>
internal static class TargetCompatibility
{
    private static readonly string ProviderHint = "The op runs on CPU with copies between GPU and CPU around it; export with ops the provider supports, or accept the fallback.";

    /// <summary>Findings that keep the model from loading on the pinned runtime (failures).</summary>
    public static IReadOnlyList<CheckResult> Loadability(ModelConfig model, ModelProto proto, OrtKernelTable table)
    {
        var checks = new List<CheckResult>();
        var where = model.Location;
        var runtime = $"ONNX Runtime {table.Version}";
        if (proto.IrVersion > table.MaxIrVersion)
        {
            checks.Add(SignatureCheck.Failure(model, VariantConfig.OriginalName, "—", SignatureCheck.RuntimeMetric, "ir", BudgetKind.Absolute, $"IR ≤ {table.MaxIrVersion}",
                PgCode.IrVersionAboveRuntime, CheckOutcome.Fail,
                $"'{model.RelativePath}' has IR version {proto.IrVersion}, but {runtime} loads IR versions up to {table.MaxIrVersion}: the model cannot be loaded. Export it with IR version {table.MaxIrVersion} or lower (e.g. an older exporter or onnx.version_converter), or wait for a PipelineGate release with a newer ONNX Runtime.",
                where));
        }

        foreach (var import in proto.OpsetImport)
        {
            var domain = OnnxDomains.Normalize(import.Domain);
            if (table.MaxOpset.TryGetValue(domain, out var max) && import.Version > max)
            {
                var name = domain.Length == 0 ? "ai.onnx" : domain;
                checks.Add(SignatureCheck.Failure(model, VariantConfig.OriginalName, "—", SignatureCheck.RuntimeMetric, "opset:" + name, BudgetKind.Absolute, $"{name} opset ≤ {max}",
                    PgCode.OpsetAboveRuntime, CheckOutcome.Fail,
                    $"'{model.RelativePath}' imports {name} opset {import.Version}, but {runtime} supports {name} up to opset {max}: the model cannot be loaded. Export with opset {max} or lower (e.g. torch.onnx.export(..., opset_version={max})).",
                    where));
            }
        }

        var functions = proto.Functions.Select(static f => (OnnxDomains.Normalize(f.Domain), f.Name)).ToHashSet();
        var custom = ModelWalker.Graphs(proto).SelectMany(static g => g.Node)
            .Where(n => !table.KnowsDomain(OnnxDomains.Normalize(n.Domain)) && !functions.Contains((OnnxDomains.Normalize(n.Domain), n.OpType)))
            .Where(_ => model.CustomOpLibraries.Count == 0) // with libraries allowed, ONNX Runtime decides at session creation (PG3004 if none registers the domain)
            .GroupBy(static n => n.Domain, StringComparer.Ordinal)
            .OrderBy(static g => g.Key, StringComparer.Ordinal);
        foreach (var group in custom)
        {
            var ops = string.Join(", ", group.Select(static n => n.OpType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            var library = group.Key == "ai.onnx.contrib" ? " (ai.onnx.contrib is onnxruntime-extensions' domain)" : string.Empty;
            checks.Add(SignatureCheck.Failure(model, VariantConfig.OriginalName, "—", SignatureCheck.RuntimeMetric, "domain:" + group.Key, BudgetKind.Absolute, "no custom-op library needed",
                PgCode.CustomDomainNeedsLibrary, CheckOutcome.Fail,
                $"'{model.RelativePath}' uses ops of the custom domain '{group.Key}' ({ops}){library}, which {runtime} does not know: they need a custom-op library registered with the session, and the config allows none for this model, so it cannot be measured. Replace them with standard ONNX ops, or allow the library that implements them with 'custom-op-libraries: [{{ path, sha256 }}]' on the model.",
                where));
        }

        return checks;
    }

    /// <summary>Per declared GPU target: the ops of <paramref name="proto"/> (a variant) its provider has no kernel for.</summary>
    public static IReadOnlyList<CheckResult> Kernels(ModelConfig model, string variant, ModelProto proto, OrtKernelTable table)
    {
        var checks = new List<CheckResult>();
        var opsets = proto.OpsetImport.GroupBy(static o => OnnxDomains.Normalize(o.Domain)).ToDictionary(static g => g.Key, static g => g.Max(static o => o.Version), StringComparer.Ordinal);
        foreach (var target in model.Targets.Where(static t => t.Provider is ExecutionProvider.Cuda or ExecutionProvider.TensorRT))
        {
            // TensorRT has no published kernel list; ops it does not take go to CUDA, so CUDA's list decides (see the table's header).
            const string provider = "cuda";
            if (!table.HasProvider(provider))
            {
                continue;
            }

            var missing = ModelWalker.Graphs(proto).SelectMany(static g => g.Node)
                .Select(static n => (Domain: OnnxDomains.Normalize(n.Domain), n.OpType))
                .Where(n => !table.Supports(provider, n.Domain, n.OpType, opsets.GetValueOrDefault(n.Domain, 1)))
                .GroupBy(static n => n)
                .Select(static g => (Op: g.Key.Domain.Length == 0 ? g.Key.OpType : $"{g.Key.Domain}:{g.Key.OpType}", Count: g.Count()))
                .OrderByDescending(static x => x.Count).ThenBy(static x => x.Op, StringComparer.Ordinal)
                .ToArray();
            if (missing.Length == 0)
            {
                continue;
            }

            var nodes = missing.Sum(static m => m.Count);
            var list = string.Join(", ", missing.Select(static m => m.Count == 1 ? m.Op : $"{m.Op} ×{m.Count}"));
            var via = target.Provider == ExecutionProvider.TensorRT ? "neither TensorRT's fallback (the CUDA provider) nor " : string.Empty;
            checks.Add(SignatureCheck.Failure(model, variant, target.Name, SignatureCheck.KernelsMetric, "fallback", BudgetKind.Absolute, "every op on the GPU",
                PgCode.OpsFallBackToCpu, CheckOutcome.Warn,
                $"On target '{target.Name}', {nodes} node{(nodes == 1 ? "" : "s")} of variant '{variant}' {(nodes == 1 ? "has" : "have")} no kernel in {via}the CUDA execution provider of ONNX Runtime {table.Version} and would run on CPU: {list}. {ProviderHint} (Judged from the committed kernel table {table.Resource}, not measured: no GPU here.)",
                target.Location));
        }

        return checks;
    }
}
