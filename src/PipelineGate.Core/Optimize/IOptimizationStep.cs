using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize;

/// <summary>
/// One recipe step (quantize, prune...). A step takes a model in memory and returns a new one; it
/// never writes the input. Steps compose in the order a variant lists them.
/// </summary>
public interface IOptimizationStep
{
    /// <summary>The key used in pipelinegate.yml (e.g. "quantize").</summary>
    string Kind { get; }

    OptimizationOutput Apply(ModelFile input, RecipeStep step, OptimizationContext context);
}

/// <summary>A step's result: the new model and notes for the report (e.g. nodes kept in float, and why).</summary>
public sealed record OptimizationOutput(ModelFile Model, IReadOnlyList<string> Notes);

/// <summary>What a step may need beyond the model: the config's folder (for calibration data) and the evaluation data.</summary>
public sealed record OptimizationContext(string ConfigDirectory, DataConfig? EvaluationData, IProgress<string>? Log = null);
