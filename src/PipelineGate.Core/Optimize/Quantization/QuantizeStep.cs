using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize.Quantization;

/// <summary>The "quantize" recipe step: dispatches on its mode.</summary>
public sealed class QuantizeStep : IOptimizationStep
{
    public string Kind => "quantize";

    public OptimizationOutput Apply(ModelFile input, RecipeStep step, OptimizationContext context)
    {
        var options = QuantizeOptions.Parse(step);

        // Every rewrite below walks the node list in order; ORT accepts unsorted lists, so sort (stably) first.
        input = NodeOrder.Sorted(input);
        return options.Mode switch
        {
            "dynamic" => DynamicQuantizer.Apply(input, options),
            "static" => StaticQuantizer.Apply(input, options,
                options.Calibration is { } calibration ? Path.GetFullPath(calibration, context.ConfigDirectory) : null, context.EvaluationData, context.Log),
            "fp16" => Fp16Converter.Apply(input, options),
            "int4" => Int4WeightOnly.Apply(input, options),
            _ => throw new PipelineGateException(PgCode.RecipeUnknown,
                $"quantize mode '{options.Mode}' is not implemented in this build (available: dynamic, static, fp16, int4).",
                step.Location.File, step.Location.Line, step.Location.Column, hint: "Use mode: dynamic, static, fp16 or int4."),
        };
    }
}
