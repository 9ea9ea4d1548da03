using PipelineGate.Measure.Accuracy;
using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Tests.Measure.Accuracy;

public sealed class NpyLayoutTests : IDisposable
{
    private readonly AccuracyTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    public static TheoryData<TensorElementType> NumpyTypes =>
    [
        TensorElementType.Float, TensorElementType.Double, TensorElementType.Float16,
        TensorElementType.Int8, TensorElementType.UInt8, TensorElementType.Int16, TensorElementType.UInt16,
        TensorElementType.Int32, TensorElementType.UInt32, TensorElementType.Int64, TensorElementType.UInt64,
        TensorElementType.Bool, TensorElementType.Complex64, TensorElementType.Complex128,
    ];

    [Theory]
    [MemberData(nameof(NumpyTypes))]
    public void Preamble_of_every_numpy_dtype_is_understood(TensorElementType type)
    {
        var tensor = TensorData.FromBytes(type, [3, 2], new byte[TensorElementTypeInfo.ByteCount(type, 6)]);
        using var stream = new MemoryStream();
        NpyFile.Write(stream, tensor);
        stream.Position = 0;

        var layout = NpyLayout.TryRead(stream);

        Assert.NotNull(layout);
        Assert.Equal(type, layout.Value.Type);
        Assert.Equal([3L, 2L], layout.Value.Shape);
        Assert.Equal(stream.Length - tensor.Bytes.Length, layout.Value.DataOffset);
    }

    [Fact]
    public void Sample_arrays_and_npz_entries_are_streamed_not_loaded()
    {
        var pixels = Path.Combine(AccuracyTestFiles.DigitsEval(), "pixels.npy");
        using var source = NpyArraySource.Open("pixels", pixels, () => File.OpenRead(pixels), new FileInfo(pixels).Length, () => throw new InvalidOperationException("loaded whole"));
        Assert.IsType<NpyArraySource>(source);
        Assert.Equal([359L, 64L], source.Shape);

        var expected = NpyFile.Read(pixels);
        Assert.Equal(expected.Bytes.AsSpan(300 * 64 * 4).ToArray(), source.ReadRows(300, 59).Bytes);
    }
}
