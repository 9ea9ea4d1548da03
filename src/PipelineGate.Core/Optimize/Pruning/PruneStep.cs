using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize.Pruning;

/// <summary>The "prune" recipe step: magnitude (default), nm, or structured pruning of channels, attention heads or FFN neurons; with max-drop, per-layer (per-block for heads and ffn) ratios searched within an accuracy budget.</summary>
public sealed class PruneStep : IOptimizationStep
{
    public string Kind => "prune";

    public OptimizationOutput Apply(ModelFile input, RecipeStep step, OptimizationContext context)
    {
        var options = PruneOptions.Parse(step);
        StepOrder.ThrowIfQuantized(input, Kind);
        if (options.MaxDrop is not null)
        {
            return Search.PruneSearch.Apply(input, options, context.EvaluationData, context.Log);
        }

        return options.Method switch
        {
            "channel" => ChannelPruner.Apply(input, options),
            "heads" => HeadPruner.Apply(input, options),
            "ffn" => FfnPruner.Apply(input, options),
            _ => MagnitudePruner.Apply(input, options),
        };
    }
}
