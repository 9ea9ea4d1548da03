namespace PipelineGate.Tensors;

/// <summary>
/// Element types, numbered exactly as ONNX's <c>TensorProto.DataType</c> and ONNX Runtime's
/// <c>ONNXTensorElementDataType</c> (the two agree), so values cross both boundaries unchanged.
/// </summary>
public enum TensorElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
    Float8E4M3FN = 17,
    Float8E4M3FNUZ = 18,
    Float8E5M2 = 19,
    Float8E5M2FNUZ = 20,
    UInt4 = 21,
    Int4 = 22,
    Float4E2M1 = 23,
}
