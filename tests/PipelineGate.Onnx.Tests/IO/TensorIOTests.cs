using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.IO;

/// <summary>TensorIO reads and writes single-tensor files (.pb TensorProto, .npy) by extension.</summary>
public sealed class TensorIOTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("float")]
    [InlineData("float16")]
    [InlineData("int64")]
    [InlineData("uint32")]
    [InlineData("bool")]
    [InlineData("string")]
    public void Pb_write_then_read_gives_the_same_tensor(string kind)
    {
        var original = TensorProtoConverterTests.Sample(kind);
        var path = _dir.File("input_0.pb");

        TensorIO.Write(path, original, "images");
        var (name, back) = TensorIO.ReadProto(path);

        Assert.Equal("images", name);
        Assert.Equal(original.ElementType, back.ElementType);
        Assert.Equal(original.Shape, back.Shape);
        Assert.Equal(original.Bytes, back.Bytes);
        Assert.Equal(original.Strings, back.Strings);
        Assert.Equal(original.Bytes, TensorIO.Read(path).Bytes);
    }

    [Fact]
    public void Pb_without_a_name_is_named_after_the_file()
    {
        var path = _dir.File("logits.pb");
        TensorIO.Write(path, TensorData.Create(new[] { 1f, 2f }, 2));
        Assert.Equal("logits", TensorIO.ReadProto(path).Name);
        Assert.Equal(new[] { "logits.pb" }, _dir.AllFiles());
    }

    [Fact]
    public void Pb_with_typed_fields_written_by_other_tools_is_read()
    {
        var proto = new TensorProto { Name = "ids", DataType = (int)TensorElementType.Int64 };
        proto.Dims.AddRange([1, 3]);
        proto.Int64Data.AddRange([4, 5, 6]);
        var path = _dir.File("ids.pb");
        File.WriteAllBytes(path, proto.ToByteArray());

        Assert.Equal(new long[] { 4, 5, 6 }, TensorIO.Read(path).AsSpan<long>().ToArray());
    }

    [Fact]
    public void Npy_write_then_read_gives_the_same_tensor()
    {
        var original = TensorProtoConverterTests.Sample("float");
        var path = _dir.File("x.npy");
        TensorIO.Write(path, original);
        var back = TensorIO.Read(path);
        Assert.Equal(original.Shape, back.Shape);
        Assert.Equal(original.Bytes, back.Bytes);
    }

    [Fact]
    public void Truncated_pb_is_TensorFileInvalid_naming_the_file()
    {
        var bytes = TensorProtoConverter.FromTensorData(TensorData.Create(Enumerable.Range(0, 64).Select(static i => (float)i).ToArray(), 8, 8), "x").ToByteArray();
        var path = _dir.File("corrupt.pb");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var ex = Assert.Throws<PipelineGateException>(() => TensorIO.Read(path));
        Assert.Equal(PgCode.TensorFileInvalid, ex.Code);
        Assert.Equal(2020, (int)ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pb_with_an_invalid_wire_type_is_TensorFileInvalid()
    {
        var path = _dir.File("garbage.pb");
        File.WriteAllBytes(path, [0x0F, 0xFF, 0xFF, 0xFF]); // field 1 with wire type 7, which does not exist
        Assert.Equal(PgCode.TensorFileInvalid, Assert.Throws<PipelineGateException>(() => TensorIO.Read(path)).Code);
    }

    [Fact]
    public void Pb_whose_data_does_not_match_its_shape_names_the_file()
    {
        var proto = TensorProtos.Raw("x", TensorElementType.Float, [4], new byte[10]);
        var path = _dir.File("short.pb");
        File.WriteAllBytes(path, proto.ToByteArray());

        var ex = Assert.Throws<PipelineGateException>(() => TensorIO.Read(path));
        Assert.Equal(PgCode.TensorDataLengthMismatch, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
    }

    [Fact]
    public void Pb_holding_external_data_is_refused_with_a_code()
    {
        var proto = TensorProtos.External("x", TensorElementType.Float, [4], "x.bin", 0, 16);
        File.WriteAllBytes(_dir.File("x.bin"), new byte[16]);
        var path = _dir.File("ext.pb");
        File.WriteAllBytes(path, proto.ToByteArray());

        var ex = Assert.Throws<PipelineGateException>(() => TensorIO.Read(path));
        Assert.Equal(PgCode.ExternalDataMissing, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
    }

    [Fact]
    public void Missing_tensor_file_is_DataNotFound()
    {
        var path = _dir.File("missing.pb");
        var ex = Assert.Throws<PipelineGateException>(() => TensorIO.Read(path));
        Assert.Equal(PgCode.DataNotFound, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
    }

    [Fact]
    public void Pb_that_parses_but_has_no_element_type_is_TensorFileUnsupportedType()
    {
        // Only TensorProto.name (field 8) is present, so data_type is 0 (undefined).
        var path = _dir.File("nameonly.pb");
        File.WriteAllBytes(path, [0x42, 0x01, (byte)'x']);
        var ex = Assert.Throws<PipelineGateException>(() => TensorIO.Read(path));
        Assert.Equal(PgCode.TensorFileUnsupportedType, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
    }

    [Fact]
    public void Unknown_extension_is_TensorFileInvalid()
    {
        var path = _dir.File("x.bin");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal(PgCode.TensorFileInvalid, Assert.Throws<PipelineGateException>(() => TensorIO.Read(path)).Code);
    }
}
