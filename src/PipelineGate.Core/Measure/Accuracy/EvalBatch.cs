using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// A slice of consecutive samples: one tensor per model input (leading dimension = <see cref="Count"/>),
/// the matching labels, and expected outputs when the data set carries them.
/// </summary>
public sealed class EvalBatch
{
    public EvalBatch(
        int start,
        int count,
        IReadOnlyDictionary<string, TensorData> inputs,
        TensorData? labels,
        IReadOnlyDictionary<string, TensorData>? referenceOutputs = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(inputs);
        Start = start;
        Count = count;
        Inputs = inputs;
        Labels = labels;
        ReferenceOutputs = referenceOutputs ?? new Dictionary<string, TensorData>(StringComparer.Ordinal);
    }

    /// <summary>Index of the first sample in the data set.</summary>
    public int Start { get; }

    /// <summary>Number of samples in this batch.</summary>
    public int Count { get; }

    /// <summary>Tensors keyed by model input name.</summary>
    public IReadOnlyDictionary<string, TensorData> Inputs { get; }

    /// <summary>Labels with leading dimension <see cref="Count"/>, or null when the set has none.</summary>
    public TensorData? Labels { get; }

    /// <summary>Expected outputs keyed by output name (ONNX test data sets); empty otherwise.</summary>
    public IReadOnlyDictionary<string, TensorData> ReferenceOutputs { get; }
}
