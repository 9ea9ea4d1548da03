using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.IO;

/// <summary>Formats ONNX shapes as text: <c>[batch,3,224,224]</c>, with '?' for unnamed unknown dims.</summary>
public static class ShapeText
{
    public static string Format(TensorShapeProto? shape) =>
        shape is null ? "unknown" : "[" + string.Join(",", shape.Dim.Select(Dim)) + "]";

    public static string Dim(TensorShapeProto.Types.Dimension d) => d.ValueCase switch
    {
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => d.DimParam,
        _ => "?",
    };
}
