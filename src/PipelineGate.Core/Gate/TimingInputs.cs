using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Runtime;
using PipelineGate.Tensors;

namespace PipelineGate.Gate;

/// <summary>The inputs a gate run times a model with; <c>pipelinegate init</c> measures with the same, so its budgets fit.</summary>
internal static class TimingInputs
{
    /// <summary>Times with the first evaluation sample when there is data (realistic for data-dependent ops), else seeded random inputs.</summary>
    public static Dictionary<string, TensorData>? From(string modelPath, DataConfig? data, SessionConfig session)
    {
        if (data is null)
        {
            return null;
        }

        using var probe = InferenceSession.Create(modelPath, session);
        // Text data is tokenized as evaluation tokenizes it (without the tokenizer the .txt file read as arrays
        // left the model's int64 token inputs unfed: PG2024).
        using var dataset = EvalDatasetLoader.Open(data.Path, Measure.Evaluation.DataOptions.For(modelPath, data, probe));
        var batch = probe.Inputs.Select(static i => i.Dimensions.Count > 0 && i.Dimensions[0] > 0 ? (int)i.Dimensions[0] : 1).Max();
        return dataset.ReadBatch(0, Math.Min(batch, dataset.Count)).Inputs.ToDictionary(static kv => kv.Key, static kv => kv.Value, StringComparer.Ordinal);
    }
}
