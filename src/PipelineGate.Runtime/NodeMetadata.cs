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

    public string ShapeText => "[" + string.Join(",", Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : (SymbolicDimensions[i] is { Length: > 0 } s ? s : "?"))) + "]";
}
