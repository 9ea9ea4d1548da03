using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize.Pruning;

/// <summary>The "prune" recipe step: magnitude (default), nm, or structured channel pruning; with max-drop, per-layer ratios searched within an accuracy budget.</summary>
public sealed class PruneStep : IOptimizationStep
{
    public string Kind => "prune";

    public OptimizationOutput Apply(ModelFile input, RecipeStep step, OptimizationContext context)
    {
        var options = PruneOptions.Parse(step);
        StepOrder.ThrowIfQuantized(input, Kind);
        return options.MaxDrop is not null ? Search.PruneSearch.Apply(input, options, context.EvaluationData, context.Log)
            : options.Method == "channel" ? ChannelPruner.Apply(input, options) : MagnitudePruner.Apply(input, options);
    }
}
