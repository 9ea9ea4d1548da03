using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.IO;

/// <summary>ONNX shapes as <see cref="Shapes"/> writes every shape: <c>[batch,3,224,224]</c>, with '?' for unnamed unknown dims.</summary>
public static class ShapeText
{
    public static string Format(TensorShapeProto? shape) =>
        shape is null ? "unknown" : Shapes.Text(shape.Dim.Select(Dim));

    public static string Dim(TensorShapeProto.Types.Dimension d) => d.ValueCase switch
    {
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => Shapes.Dim(d.DimValue),
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => d.DimParam,
        _ => Shapes.Unknown,
    };
}
