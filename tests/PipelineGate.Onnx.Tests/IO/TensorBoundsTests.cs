using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.IO;

/// <summary>
/// Declared tensor sizes are bounded before anything is allocated from them: dims whose product overflows,
/// more than 2^31-1 elements, or more bytes than one array holds are PG2018, never an OverflowException or
/// an OutOfMemoryException; external data is believed only once its file is seen to hold the bytes.
/// </summary>
public sealed class TensorBoundsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(3_000_000_000L, 1L)]         // more elements than an array holds (used to be an OverflowException)
    [InlineData(600_000_000L, 1L)]           // 2.4 GB of float: elements fit, bytes do not
    [InlineData(4_294_967_296L, 4_294_967_296L)] // 2^64 elements: overflows 64 bits
    public void A_typed_field_tensor_declaring_a_huge_shape_is_PG2018(long d0, long d1)
    {
        var t = new TensorProto { Name = "w", DataType = (int)TensorElementType.Float };
        t.Dims.AddRange([d0, d1]);
        t.FloatData.Add(1f);

        var ex = Assert.Throws<PipelineGateException>(() => TensorProtoConverter.ToTensorData(t));

        Assert.Equal(PgCode.TensorTooLarge, ex.Code);
        Assert.Contains("'w'", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("up to 2 GiB", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_int4_tensor_of_3_billion_elements_is_PG2018_not_an_overflow()
    {
        var t = new TensorProto { Name = "q", DataType = (int)TensorElementType.Int4 };
        t.Dims.Add(3_000_000_000L);
        t.Int32Data.Add(1);

        Assert.Equal(PgCode.TensorTooLarge, Assert.Throws<PipelineGateException>(() => TensorProtoConverter.ToTensorData(t)).Code);
    }

    [Fact]
    public void External_data_declaring_more_than_2_GiB_is_coded_before_any_allocation()
    {
        // The data file holds 64 bytes; the tensor claims float[1073741824] (4 GiB), with and without a length entry.
        var folder = _dir.Sub("m");
        File.WriteAllBytes(Path.Combine(folder, "w.bin"), new byte[64]);
        foreach (var length in new long?[] { null, 4L << 30 })
        {
            var path = new ModelBuilder()
                .Input("x", TensorElementType.Float, 1)
                .Initializer(TensorProtos.External("w", TensorElementType.Float, [1L << 30], "w.bin", 0, length))
                .Node("Identity", ["x"], ["y"])
                .Output("y", TensorElementType.Float, 1)
                .WriteTo(Path.Combine(folder, $"m{length}.onnx"));

            var before = GC.GetTotalAllocatedBytes(precise: true);
            var ex = Assert.Throws<PipelineGateException>(() =>
            {
                var file = ModelFile.Load(path);
                TensorProtoConverter.ToTensorData(file.Graph.Initializer[0], file);
            });
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

            Assert.True(ex.Code is PgCode.TensorTooLarge or PgCode.ExternalDataOutOfRange, ex.Message);
            Assert.True(allocated < 64L << 20, $"{allocated} bytes were allocated before the refusal");
        }
    }

    [Fact]
    public void External_data_the_file_does_not_hold_is_ExternalDataOutOfRange_before_allocation()
    {
        var folder = _dir.Sub("n");
        File.WriteAllBytes(Path.Combine(folder, "w.bin"), new byte[64]);
        var path = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1)
            .Initializer(TensorProtos.External("w", TensorElementType.Float, [100_000_000], "w.bin"))
            .Node("Identity", ["x"], ["y"])
            .Output("y", TensorElementType.Float, 1)
            .WriteTo(Path.Combine(folder, "m.onnx"));
        var file = ModelFile.Load(path);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = Assert.Throws<PipelineGateException>(() => TensorProtoConverter.ToTensorData(file.Graph.Initializer[0], file));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(PgCode.ExternalDataOutOfRange, ex.Code);
        Assert.True(allocated < 4L << 20, $"{allocated} bytes (the tensor is 400 MB) were allocated before the refusal");
    }
}
