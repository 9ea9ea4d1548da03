using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Runtime;

namespace PipelineGate.Measure.Evaluation;

/// <summary>
/// How a model's <c>data:</c> is opened against a loaded model, one place for evaluation and for the
/// timing inputs (so text data is tokenized for both, with the same max-length and position-table check).
/// </summary>
internal static class DataOptions
{
    public static EvalDataOptions For(string modelPath, DataConfig data, InferenceSession model) => new()
    {
        InputMapping = data.Inputs.ToDictionary(static kv => kv.Key, static kv => (IReadOnlyList<string>)[kv.Value], StringComparer.Ordinal),
        LabelName = data.Labels,
        ModelInputs = model.Inputs.Select(static i => (i.Name, i.ElementType, i.Dimensions.ToArray())).ToArray(),
        Tokenizer = data.Tokenizer,
        MaxLength = data.MaxLength ?? EvalDataOptions.DefaultMaxLength,
        PositionTable = data.Tokenizer is null ? null : Text.PositionTable.Rows(modelPath),
    };
}
