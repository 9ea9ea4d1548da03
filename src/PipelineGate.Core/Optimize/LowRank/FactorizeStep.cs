using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize.LowRank;

/// <summary>The "factorize" recipe step: truncated-SVD low-rank factorization of MatMul/Gemm weights; with max-drop, per-layer ranks searched within an accuracy budget.</summary>
public sealed class FactorizeStep : IOptimizationStep
{
    public string Kind => "factorize";

    public OptimizationOutput Apply(ModelFile input, RecipeStep step, OptimizationContext context)
    {
        var options = FactorizeOptions.Parse(step);
        StepOrder.ThrowIfQuantized(input, Kind);
        return options.MaxDrop is not null ? Search.FactorizeSearch.Apply(input, options, context.EvaluationData, context.Log) : LowRankFactorizer.Apply(input, options);
    }
}
