using PipelineGate.Tensors;

namespace PipelineGate.Runtime;

/// <summary>
/// A session input or output as ONNX Runtime reports it. Unknown dimensions are -1 in
/// <see cref="Dimensions"/>, with their name (if any) in <see cref="SymbolicDimensions"/>.
/// </summary>
public sealed record NodeMetadata(
    string Name,
    OnnxValueKind Kind,
    TensorElementType ElementType,
    IReadOnlyList<long> Dimensions,
    IReadOnlyList<string> SymbolicDimensions)
{
    public bool IsTensor => Kind == OnnxValueKind.Tensor;

    /// <summary>True when every dimension is known.</summary>
    public bool IsStatic => Dimensions.All(static d => d >= 0);

    public string ShapeText => Shapes.Text(Dimensions.Select((d, i) => Shapes.Dim(d, i < SymbolicDimensions.Count ? SymbolicDimensions[i] : null)));
}
