using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;

namespace PipelineGate.Optimize;

/// <summary>The recipe steps this build knows, by kind.</summary>
public static class OptimizationSteps
{
    private static readonly Dictionary<string, IOptimizationStep> Steps = new(StringComparer.Ordinal)
    {
        ["quantize"] = new Quantization.QuantizeStep(),
        ["prune"] = new Pruning.PruneStep(),
        ["factorize"] = new LowRank.FactorizeStep(),
    };

    public static IReadOnlyCollection<string> Kinds => Steps.Keys;

    public static void Register(IOptimizationStep step) => Steps[step.Kind] = step;

    public static IOptimizationStep Get(RecipeStep step) =>
        Steps.GetValueOrDefault(step.Kind)
        ?? throw new PipelineGateException(PgCode.RecipeUnknown,
            $"Recipe step '{step.Kind}' is not available in this build of PipelineGate (available: {(Steps.Count == 0 ? "none" : string.Join(", ", Steps.Keys))}).",
            step.Location.File, step.Location.Line, step.Location.Column, hint: "Remove the step or update PipelineGate.");
}
