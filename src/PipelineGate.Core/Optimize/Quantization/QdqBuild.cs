using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize.Quantization;

/// <summary>One QDQ rewrite of a model: the model and what was quantized in it.</summary>
internal sealed record QdqBuild(ModelFile Model, IReadOnlyList<QuantizableNode> Quantized, int QuantizedTensors, long WeightBytesBefore, long WeightBytesAfter)
{
    /// <summary>Activation tensors given uint16 (instead of 8-bit) Q→DQ pairs by the 16-bit fallback tier.</summary>
    public int WideTensors { get; init; }
}
