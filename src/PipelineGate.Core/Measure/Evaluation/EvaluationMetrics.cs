using PipelineGate.Diagnostics;

namespace PipelineGate.Measure.Evaluation;

/// <summary>
/// The metrics a model can be evaluated by, shared by the config's <c>metric:</c> key, <c>eval --metric</c>,
/// <c>quantize --metric</c> and the evaluator. Classification metrics read class scores [N, C]; regression
/// metrics read values compared with the targets.
/// </summary>
public static class EvaluationMetrics
{
    public const string Default = "top1";

    public static IReadOnlyList<string> Names { get; } = ["top1", "top5", "f1", "mae", "rmse"];

    /// <summary>"top1, top5, f1, mae or rmse", for option descriptions and messages.</summary>
    public static string Choices { get; } = string.Join(", ", Names.Take(Names.Count - 1)) + " or " + Names[^1];

    public static bool IsKnown(string metric) => Names.Contains(metric, StringComparer.Ordinal);

    public static bool IsClassification(string metric) => metric is "top1" or "top5" or "f1";

    /// <summary>The metric, or a usage error (PG1xxx) naming the choices.</summary>
    public static string Require(string metric, string option)
    {
        ArgumentNullException.ThrowIfNull(metric);
        return IsKnown(metric)
            ? metric
            : throw new PipelineGateException(PgCode.UsageInvalidArgument, $"{option} '{metric}' is not one of {Choices}.");
    }
}
