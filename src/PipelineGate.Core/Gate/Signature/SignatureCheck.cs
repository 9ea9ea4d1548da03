using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;

namespace PipelineGate.Gate.Signature;

/// <summary>Builds the deterministic checks of the signature gate: no measured values, an exact verdict and a message.</summary>
internal static class SignatureCheck
{
    /// <summary>The metric of a change of inputs or outputs against the baseline.</summary>
    public const string SignatureMetric = "signature";

    /// <summary>The metric of "the pinned ONNX Runtime can load this model" (opset, IR version, custom domains).</summary>
    public const string RuntimeMetric = "runtime-support";

    /// <summary>The metric of "every op has a kernel on this target's provider".</summary>
    public const string KernelsMetric = "provider-kernels";

    public static CheckResult Failure(
        ModelConfig model, string variant, string target, string metric, string key, BudgetKind kind, string budgetText,
        PgCode code, CheckOutcome outcome, string message, SourceLocation location) => new()
        {
            Id = $"{model.Name}/{variant}/{target}/{metric}/{key}",
            Model = model.Name,
            Variant = variant,
            Target = target,
            Metric = metric,
            Kind = kind,
            BudgetText = budgetText,
            Unit = "",
            Deterministic = true,
            Outcome = outcome,
            Code = code,
            Message = message,
            File = location.File,
            Line = location.Line,
            Column = location.Column,
        };
}
