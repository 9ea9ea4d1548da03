namespace PipelineGate.Tensors;

/// <summary>Sizes and names of <see cref="TensorElementType"/> values.</summary>
public static class TensorElementTypeInfo
{
    /// <summary>Bytes per element; 0 for strings and for sub-byte types (int4, uint4, float4), which pack two per byte.</summary>
    public static int SizeOf(TensorElementType type) => type switch
    {
        TensorElementType.Float => 4,
        TensorElementType.UInt8 => 1,
        TensorElementType.Int8 => 1,
        TensorElementType.UInt16 => 2,
        TensorElementType.Int16 => 2,
        TensorElementType.Int32 => 4,
        TensorElementType.Int64 => 8,
        TensorElementType.Bool => 1,
        TensorElementType.Float16 => 2,
        TensorElementType.Double => 8,
        TensorElementType.UInt32 => 4,
        TensorElementType.UInt64 => 8,
        TensorElementType.Complex64 => 8,
        TensorElementType.Complex128 => 16,
        TensorElementType.BFloat16 => 2,
        TensorElementType.Float8E4M3FN or TensorElementType.Float8E4M3FNUZ
            or TensorElementType.Float8E5M2 or TensorElementType.Float8E5M2FNUZ => 1,
        _ => 0,
    };

    /// <summary>Bytes needed to store <paramref name="count"/> elements (sub-byte types pack two per byte).</summary>
    public static long ByteCount(TensorElementType type, long count) => type switch
    {
        TensorElementType.UInt4 or TensorElementType.Int4 or TensorElementType.Float4E2M1 => (count + 1) / 2,
        _ => count * SizeOf(type),
    };

    /// <summary>The lower-case name used in reports and JSON (e.g. <c>float32</c>, <c>int8</c>), numpy's spelling where numpy has one.</summary>
    public static string Name(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int8 => "int8",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.Int16 => "int16",
        TensorElementType.Int32 => "int32",
        TensorElementType.Int64 => "int64",
        TensorElementType.String => "string",
        TensorElementType.Bool => "bool",
        TensorElementType.Float16 => "float16",
        TensorElementType.Double => "float64",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Complex64 => "complex64",
        TensorElementType.Complex128 => "complex128",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Float8E4M3FN => "float8e4m3fn",
        TensorElementType.Float8E4M3FNUZ => "float8e4m3fnuz",
        TensorElementType.Float8E5M2 => "float8e5m2",
        TensorElementType.Float8E5M2FNUZ => "float8e5m2fnuz",
        TensorElementType.UInt4 => "uint4",
        TensorElementType.Int4 => "int4",
        TensorElementType.Float4E2M1 => "float4e2m1",
        _ => "undefined",
    };

    /// <summary>True for types with a float interpretation (float, double, float16, bfloat16, float8).</summary>
    public static bool IsFloatingPoint(TensorElementType type) => type is TensorElementType.Float
        or TensorElementType.Double or TensorElementType.Float16 or TensorElementType.BFloat16
        or TensorElementType.Float8E4M3FN or TensorElementType.Float8E4M3FNUZ
        or TensorElementType.Float8E5M2 or TensorElementType.Float8E5M2FNUZ;
}
