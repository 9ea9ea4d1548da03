using System.Runtime.InteropServices;
using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.IO;

/// <summary>TensorProto ↔ TensorData: the typed *_data fields of every type, raw_data, and their length checks.</summary>
public sealed class TensorProtoConverterTests
{
    private static TensorProto Typed(TensorElementType type, params long[] dims)
    {
        var t = new TensorProto { Name = "t", DataType = (int)type };
        t.Dims.AddRange(dims);
        return t;
    }

    private static byte[] Le<T>(params T[] values)
        where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    [Fact]
    public void Float_data_is_read()
    {
        var t = Typed(TensorElementType.Float, 2, 2);
        t.FloatData.AddRange([1f, -2.5f, float.MaxValue, float.Epsilon]);
        var data = TensorProtoConverter.ToTensorData(t);
        Assert.Equal(TensorElementType.Float, data.ElementType);
        Assert.Equal(new long[] { 2, 2 }, data.Shape);
        Assert.Equal(new[] { 1f, -2.5f, float.MaxValue, float.Epsilon }, data.AsSpan<float>().ToArray());
    }

    [Fact]
    public void Int32_data_is_read()
    {
        var t = Typed(TensorElementType.Int32, 3);
        t.Int32Data.AddRange([int.MinValue, 0, int.MaxValue]);
        Assert.Equal(new[] { int.MinValue, 0, int.MaxValue }, TensorProtoConverter.ToTensorData(t).AsSpan<int>().ToArray());
    }

    [Fact]
    public void Int8_travels_in_int32_data()
    {
        var t = Typed(TensorElementType.Int8, 4);
        t.Int32Data.AddRange([-128, -1, 0, 127]);
        Assert.Equal(new sbyte[] { -128, -1, 0, 127 }, TensorProtoConverter.ToTensorData(t).AsSpan<sbyte>().ToArray());
    }

    [Fact]
    public void Uint8_travels_in_int32_data()
    {
        var t = Typed(TensorElementType.UInt8, 3);
        t.Int32Data.AddRange([0, 128, 255]);
        Assert.Equal(new byte[] { 0, 128, 255 }, TensorProtoConverter.ToTensorData(t).Bytes);
    }

    [Fact]
    public void Int16_travels_in_int32_data()
    {
        var t = Typed(TensorElementType.Int16, 3);
        t.Int32Data.AddRange([short.MinValue, -2, short.MaxValue]);
        Assert.Equal(new short[] { short.MinValue, -2, short.MaxValue }, TensorProtoConverter.ToTensorData(t).AsSpan<short>().ToArray());
    }

    [Fact]
    public void Uint16_travels_in_int32_data()
    {
        var t = Typed(TensorElementType.UInt16, 3);
        t.Int32Data.AddRange([0, 40000, ushort.MaxValue]);
        Assert.Equal(new ushort[] { 0, 40000, ushort.MaxValue }, TensorProtoConverter.ToTensorData(t).AsSpan<ushort>().ToArray());
    }

    [Fact]
    public void Bool_travels_in_int32_data()
    {
        var t = Typed(TensorElementType.Bool, 3);
        t.Int32Data.AddRange([1, 0, 1]);
        var data = TensorProtoConverter.ToTensorData(t);
        Assert.Equal(TensorElementType.Bool, data.ElementType);
        Assert.Equal(new[] { true, false, true }, data.AsSpan<bool>().ToArray());
    }

    [Fact]
    public void Float16_travels_as_bits_in_int32_data()
    {
        Half[] values = [(Half)1.5f, (Half)(-2f), Half.MaxValue];
        var t = Typed(TensorElementType.Float16, 3);
        t.Int32Data.AddRange(values.Select(static h => (int)BitConverter.HalfToUInt16Bits(h)));
        var data = TensorProtoConverter.ToTensorData(t);
        Assert.Equal(values, data.AsSpan<Half>().ToArray());
        Assert.Equal(new[] { 1.5, -2.0, 65504.0 }, data.ToDoubleArray());
    }

    [Fact]
    public void Bfloat16_travels_as_bits_in_int32_data()
    {
        var t = Typed(TensorElementType.BFloat16, 2);
        t.Int32Data.AddRange([0x3FC0, 0xC000]); // 1.5 and -2
        Assert.Equal(new[] { 1.5, -2.0 }, TensorProtoConverter.ToTensorData(t).ToDoubleArray());
    }

    [Fact]
    public void Int64_data_is_read()
    {
        var t = Typed(TensorElementType.Int64, 3);
        t.Int64Data.AddRange([long.MinValue, 0, long.MaxValue]);
        Assert.Equal(new[] { long.MinValue, 0, long.MaxValue }, TensorProtoConverter.ToTensorData(t).AsSpan<long>().ToArray());
    }

    [Fact]
    public void Double_data_is_read()
    {
        var t = Typed(TensorElementType.Double, 2);
        t.DoubleData.AddRange([Math.PI, -1e300]);
        Assert.Equal(new[] { Math.PI, -1e300 }, TensorProtoConverter.ToTensorData(t).AsSpan<double>().ToArray());
    }

    [Fact]
    public void Uint32_travels_in_uint64_data()
    {
        var t = Typed(TensorElementType.UInt32, 3);
        t.Uint64Data.AddRange([0UL, 3_000_000_000UL, uint.MaxValue]);
        var data = TensorProtoConverter.ToTensorData(t);
        Assert.Equal(12, data.Bytes.Length);
        Assert.Equal(new[] { 0u, 3_000_000_000u, uint.MaxValue }, data.AsSpan<uint>().ToArray());
    }

    [Fact]
    public void Uint64_travels_in_uint64_data()
    {
        var t = Typed(TensorElementType.UInt64, 2);
        t.Uint64Data.AddRange([1UL, ulong.MaxValue]);
        Assert.Equal(new[] { 1UL, ulong.MaxValue }, TensorProtoConverter.ToTensorData(t).AsSpan<ulong>().ToArray());
    }

    [Fact]
    public void Complex64_travels_as_pairs_in_float_data()
    {
        var t = Typed(TensorElementType.Complex64, 2);
        t.FloatData.AddRange([1f, 2f, 3f, 4f]);
        Assert.Equal(Le(1f, 2f, 3f, 4f), TensorProtoConverter.ToTensorData(t).Bytes);
    }

    [Fact]
    public void String_data_is_read_as_utf8()
    {
        var t = Typed(TensorElementType.String, 3);
        t.StringData.Add(ByteString.CopyFromUtf8("a"));
        t.StringData.Add(ByteString.CopyFromUtf8(string.Empty));
        t.StringData.Add(ByteString.CopyFromUtf8("\u00fcber \u732b"));
        var data = TensorProtoConverter.ToTensorData(t);
        Assert.Equal(TensorElementType.String, data.ElementType);
        Assert.Equal(new[] { "a", string.Empty, "\u00fcber \u732b" }, data.Strings);
    }

    [Fact]
    public void Scalar_has_one_element()
    {
        var t = Typed(TensorElementType.Float);
        t.FloatData.Add(7f);
        var data = TensorProtoConverter.ToTensorData(t);
        Assert.Equal(0, data.Rank);
        Assert.Equal(new[] { 7f }, data.AsSpan<float>().ToArray());
    }

    [Fact]
    public void Empty_tensor_has_no_bytes()
    {
        var data = TensorProtoConverter.ToTensorData(Typed(TensorElementType.Float, 0, 3));
        Assert.Equal(0, data.ElementCount);
        Assert.Empty(data.Bytes);
    }

    [Fact]
    public void Raw_data_is_preferred_and_read_little_endian()
    {
        var t = TensorProtos.Raw("r", TensorElementType.Int32, [2], Le(1, -1));
        Assert.Equal(new[] { 1, -1 }, TensorProtoConverter.ToTensorData(t).AsSpan<int>().ToArray());
    }

    [Fact]
    public void Raw_data_length_not_matching_the_shape_throws_TensorDataLengthMismatch_naming_the_file()
    {
        var t = TensorProtos.Raw("w", TensorElementType.Float, [2, 3], new byte[20]);
        var file = new ModelBuilder().Initializer(t).ToFile("models/bad.onnx");

        var ex = Assert.Throws<PipelineGateException>(() => TensorProtoConverter.ToTensorData(file.Graph.Initializer[0], file));
        Assert.Equal(PgCode.TensorDataLengthMismatch, ex.Code);
        Assert.Equal(2007, (int)ex.Code);
        Assert.Equal("models/bad.onnx", ex.Diagnostic.File);
        Assert.Contains("models/bad.onnx", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'w'", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("24", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("20", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_field_count_not_matching_the_shape_throws_TensorDataLengthMismatch()
    {
        var t = Typed(TensorElementType.Int8, 4);
        t.Int32Data.AddRange([1, 2, 3]);
        var ex = Assert.Throws<PipelineGateException>(() => TensorProtoConverter.ToTensorData(t));
        Assert.Equal(PgCode.TensorDataLengthMismatch, ex.Code);
    }

    [Fact]
    public void String_count_not_matching_the_shape_throws_TensorDataLengthMismatch()
    {
        var t = Typed(TensorElementType.String, 2);
        t.StringData.Add(ByteString.CopyFromUtf8("only one"));
        Assert.Equal(PgCode.TensorDataLengthMismatch, Assert.Throws<PipelineGateException>(() => TensorProtoConverter.ToTensorData(t)).Code);
    }

    [Fact]
    public void Negative_dimension_throws_TensorDataLengthMismatch()
    {
        var t = Typed(TensorElementType.Float, -1);
        Assert.Equal(PgCode.TensorDataLengthMismatch, Assert.Throws<PipelineGateException>(() => TensorProtoConverter.ToTensorData(t)).Code);
    }

    [Fact]
    public void Undefined_element_type_is_unsupported()
    {
        var t = Typed(TensorElementType.Undefined, 1);
        Assert.Equal(PgCode.TensorFileUnsupportedType, Assert.Throws<PipelineGateException>(() => TensorProtoConverter.ToTensorData(t)).Code);
    }

    public static TheoryData<string> RoundTripCases() => new()
    {
        "float", "double", "float16", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "bool", "string",
    };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void FromTensorData_then_ToTensorData_gives_the_same_tensor(string kind)
    {
        var original = Sample(kind);
        var proto = TensorProtoConverter.FromTensorData(original, "sample");

        Assert.Equal("sample", proto.Name);
        Assert.Equal((int)original.ElementType, proto.DataType);
        var back = TensorProtoConverter.ToTensorData(TensorProto.Parser.ParseFrom(proto.ToByteArray()));

        Assert.Equal(original.ElementType, back.ElementType);
        Assert.Equal(original.Shape, back.Shape);
        Assert.Equal(original.Bytes, back.Bytes);
        Assert.Equal(original.Strings, back.Strings);
    }

    [Fact]
    public void StoredByteLength_counts_typed_fields_raw_data_and_external_length()
    {
        var typed = Typed(TensorElementType.UInt16, 3);
        typed.Int32Data.AddRange([1, 2, 3]);
        Assert.Equal(6, TensorProtoConverter.StoredByteLength(typed));
        Assert.Equal(5, TensorProtoConverter.StoredByteLength(TensorProtos.Raw("r", TensorElementType.Float, [2], new byte[5])));
        Assert.Equal(64, TensorProtoConverter.StoredByteLength(TensorProtos.External("e", TensorElementType.Float, [16], "w.bin", 0, 64)));
        Assert.Null(TensorProtoConverter.StoredByteLength(TensorProtos.External("e", TensorElementType.Float, [16], "w.bin")));
    }

    internal static TensorData Sample(string kind) => kind switch
    {
        "float" => TensorData.Create(new[] { 1f, -0f, float.NaN, 3.25f, float.NegativeInfinity, 6f }, 2, 3),
        "double" => TensorData.Create(new[] { 1.0, double.MinValue }, 2),
        "float16" => TensorData.Create(new[] { (Half)1, (Half)(-0.5f), Half.Epsilon }, 3),
        "int8" => TensorData.Create(new sbyte[] { -128, 0, 127 }, 3, 1),
        "uint8" => TensorData.Create(new byte[] { 0, 1, 255, 7 }, 2, 2),
        "int16" => TensorData.Create(new short[] { short.MinValue, short.MaxValue }, 2),
        "uint16" => TensorData.Create(new ushort[] { 0, ushort.MaxValue }, 1, 2),
        "int32" => TensorData.Create(new[] { int.MinValue, 1, int.MaxValue }, 3),
        "uint32" => TensorData.Create(new[] { 0u, uint.MaxValue }, 2),
        "int64" => TensorData.Create(new[] { long.MinValue, long.MaxValue }, 2),
        "uint64" => TensorData.Create(new[] { ulong.MaxValue }, 1, 1, 1),
        "bool" => TensorData.Create(new[] { true, false, true, true }, 4),
        "string" => TensorData.FromStrings(["x", string.Empty, "\u00e9\u00e8"], [3]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
