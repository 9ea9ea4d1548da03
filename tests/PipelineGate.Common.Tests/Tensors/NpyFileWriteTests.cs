using System.Text;
using PipelineGate.Tensors;
using PipelineGate.Tests.Support;

namespace PipelineGate.Tests.Tensors;

public sealed class NpyFileWriteTests
{
    public static TheoryData<TensorElementType, string> Dtypes => new()
    {
        { TensorElementType.Float16, "<f2" },
        { TensorElementType.Float, "<f4" },
        { TensorElementType.Double, "<f8" },
        { TensorElementType.Int8, "|i1" },
        { TensorElementType.UInt8, "|u1" },
        { TensorElementType.Int16, "<i2" },
        { TensorElementType.UInt16, "<u2" },
        { TensorElementType.Int32, "<i4" },
        { TensorElementType.UInt32, "<u4" },
        { TensorElementType.Int64, "<i8" },
        { TensorElementType.UInt64, "<u8" },
        { TensorElementType.Bool, "|b1" },
        { TensorElementType.Complex64, "<c8" },
        { TensorElementType.Complex128, "<c16" },
    };

    /// <summary>Deterministic element bytes; bools stay 0/1 because the reader normalizes them.</summary>
    internal static byte[] Pattern(TensorElementType type, long count)
    {
        var bytes = new byte[TensorElementTypeInfo.ByteCount(type, count)];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = type == TensorElementType.Bool ? (byte)(i % 2) : (byte)((i * 37) + 11);
        }

        return bytes;
    }

    private static string NpyDictFor(string descr, long[] shape)
        => "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + string.Join(", ", shape) + (shape.Length == 1 ? "," : "") + "), }";

    private static byte[] Save(TensorData tensor)
    {
        using var ms = new MemoryStream();
        NpyFile.Write(ms, tensor);
        return ms.ToArray();
    }

    [Fact]
    public void Float32_2x3_IsByteForByteWhatNpSaveWrites()
    {
        var values = new float[] { 0, 1, 2, 3, 4, 5 };
        const string Dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

        // np.save(f, np.arange(6, dtype=np.float32).reshape(2, 3)): a 128-byte preamble whose header
        // length field is 118 (0x76), the dict, 58 spaces (20 growth-axis + 38 alignment), '\n'.
        var expected = NumpyBytes.Concat(
            NumpyBytes.Magic,
            [1, 0, 0x76, 0x00],
            Encoding.ASCII.GetBytes(Dict + new string(' ', 58) + "\n"),
            NumpyBytes.LittleEndian(values));

        var actual = Save(TensorData.Create(values, 2, 3));

        Assert.Equal(59, Dict.Length);
        Assert.Equal(128 + 24, actual.Length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Scalar_HasEmptyShapeTupleAndNoGrowthPadding()
    {
        // 55 characters of dict, no growth room, 62 spaces of alignment, '\n': again 118.
        const string Dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (), }";
        var expected = NumpyBytes.Concat(
            NumpyBytes.Magic,
            [1, 0, 0x76, 0x00],
            Encoding.ASCII.GetBytes(Dict + new string(' ', 62) + "\n"),
            NumpyBytes.LittleEndian(2.5));

        var actual = Save(TensorData.Create([2.5], []));

        Assert.Equal(expected, actual);
        var back = NpyFile.Read(new MemoryStream(actual), "scalar.npy");
        Assert.Equal(0, back.Rank);
        Assert.Equal(1, back.ElementCount);
        Assert.Equal(2.5, back.AsSpan<double>()[0]);
    }

    [Fact]
    public void OneDimensional_UsesTrailingCommaTuple()
    {
        const string Dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
        var expected = NumpyBytes.Concat(
            NumpyBytes.Magic,
            [1, 0, 0x76, 0x00],
            Encoding.ASCII.GetBytes(Dict + new string(' ', 60) + "\n"),
            NumpyBytes.LittleEndian(1L, -2L, long.MaxValue));

        Assert.Equal(expected, Save(TensorData.Create([1L, -2L, long.MaxValue], 3)));
    }

    [Theory]
    [InlineData(new long[] { 0 }, "(0,)")]
    [InlineData(new long[] { 2, 0, 3 }, "(2, 0, 3)")]
    [InlineData(new long[] { 0, 5 }, "(0, 5)")]
    public void ZeroSizeShapes_HaveHeaderOnly(long[] shape, string tuple)
    {
        var tensor = TensorData.FromBytes(TensorElementType.Float, shape, []);
        var expected = NumpyBytes.Save("{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }", shape[0], []);

        var actual = Save(tensor);

        Assert.Equal(expected, actual);
        Assert.Equal(128, actual.Length);
        var back = NpyFile.Read(new MemoryStream(actual), "empty.npy");
        Assert.Equal(shape, back.ShapeArray());
        Assert.Equal(0, back.ElementCount);
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void EveryDtype_MatchesNumpyBytesAndRoundTrips(TensorElementType type, string descr)
    {
        var data = Pattern(type, 6);
        var tensor = TensorData.FromBytes(type, [2, 3], data);
        var expected = NumpyBytes.Save("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2, 3), }", 2, data);

        var bytes = Save(tensor);
        Assert.Equal(expected, bytes);

        var back = NpyFile.Read(new MemoryStream(expected), "x.npy");
        Assert.Equal(type, back.ElementType);
        Assert.Equal([2L, 3L], back.ShapeArray());
        Assert.Equal(data, back.Bytes);
    }

    [Theory]
    [MemberData(nameof(Dtypes))]
    public void EveryDtype_RoundTripsThroughAFile(TensorElementType type, string descr)
    {
        _ = descr;
        using var dir = new TempDir();
        var path = dir.File("a.npy");
        var tensor = TensorData.FromBytes(type, [4, 1, 5], Pattern(type, 20));

        NpyFile.Write(path, tensor);
        var back = NpyFile.Read(path);

        Assert.Equal(type, back.ElementType);
        Assert.Equal([4L, 1L, 5L], back.ShapeArray());
        Assert.Equal(tensor.Bytes, back.Bytes);
        Assert.Equal(["a.npy"], dir.Files());
    }

    [Fact]
    public void Float16_Values_RoundTrip()
    {
        var values = new[] { (Half)1.5, (Half)(-0.25), Half.PositiveInfinity, Half.MaxValue, Half.Epsilon };
        var bytes = Save(TensorData.Create(values, 5));

        // 1.5 in IEEE half is 0x3E00, little-endian on disk.
        Assert.Equal(0x00, bytes[128]);
        Assert.Equal(0x3E, bytes[129]);
        Assert.Equal(values, NpyFile.Read(new MemoryStream(bytes), "h.npy").AsSpan<Half>().ToArray());
    }

    [Fact]
    public void Bool_IsWrittenAsB1()
    {
        var bytes = Save(TensorData.Create([true, false, true], 3));
        var expected = NumpyBytes.Save("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", 3, [1, 0, 1]);
        Assert.Equal(expected, bytes);
        Assert.Equal([true, false, true], NpyFile.Read(new MemoryStream(bytes), "b.npy").AsSpan<bool>().ToArray());
    }

    [Fact]
    public void LongHeader_SwitchesToVersion2LikeNumpy()
    {
        // 22,000 dimensions of 1 make a header longer than version 1.0's 16-bit length field.
        var shape = Enumerable.Repeat(1L, 22_000).ToArray();
        var tensor = TensorData.Create([7f], shape);
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + string.Join(", ", shape) + "), }";
        var expected = NumpyBytes.Save(dict, 1, NumpyBytes.LittleEndian(7f));

        var bytes = Save(tensor);

        Assert.Equal(2, bytes[6]);
        Assert.Equal(0, bytes[7]);
        Assert.Equal(0, (bytes.Length - 4) % 64);
        Assert.Equal(expected, bytes);
        var back = NpyFile.Read(new MemoryStream(bytes), "v2.npy");
        Assert.Equal(22_000, back.Rank);
        Assert.Equal(7f, back.AsSpan<float>()[0]);
    }

    [Fact]
    public void AlignedHeader_StillGetsAFull64BytesOfPadding()
    {
        // numpy pads by 64 - (n % 64), so a header that is already aligned grows by 64 spaces.
        for (var rank = 1; rank < 64; rank++)
        {
            var shape = Enumerable.Repeat(1L, rank).ToArray();
            shape[0] = 7;
            var dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + string.Join(", ", shape) + (rank == 1 ? ",), }" : "), }");
            if ((10 + dict.Length + 20 + 1) % 64 != 0)
            {
                continue;
            }

            var tensor = TensorData.FromBytes(TensorElementType.UInt8, shape, new byte[TensorData.ShapeElementCount(shape)]);
            var bytes = Save(tensor);
            var preamble = 10 + dict.Length + 20 + 64 + 1;
            Assert.Equal(NumpyBytes.Save(dict, 7, tensor.Bytes), bytes);
            Assert.Equal((byte)'\n', bytes[preamble - 1]);
            Assert.Equal(new string(' ', 84), Encoding.ASCII.GetString(bytes, 10 + dict.Length, 84));
            return;
        }

        Assert.Fail("No rank gave an aligned header.");
    }

    [Fact]
    public void EveryPreamble_IsAlignedAndNewlineTerminated()
    {
        foreach (var shape in new long[][] { [], [1], [12345678901, 0], [3, 4], [1, 2, 3, 4, 5, 6, 7, 8] })
        {
            var count = TensorData.ShapeElementCount(shape);
            var tensor = TensorData.FromBytes(TensorElementType.UInt8, shape, new byte[count]);
            var bytes = Save(tensor);
            var headerLength = bytes[8] | (bytes[9] << 8);
            Assert.Equal(0, (10 + headerLength) % 64);
            Assert.Equal((byte)'\n', bytes[10 + headerLength - 1]);
            Assert.Equal(10 + headerLength + count, bytes.Length);
            Assert.Equal(NumpyBytes.Save(NpyDictFor("|u1", shape), shape.Length == 0 ? null : shape[0], tensor.Bytes), bytes);
        }
    }

    [Fact]
    public void WritePath_ReplacesExistingFileAtomically()
    {
        using var dir = new TempDir();
        var path = dir.File("out.npy");
        File.WriteAllText(path, "old content");

        NpyFile.Write(path, TensorData.Create([1, 2, 3], 3));

        Assert.Equal([1, 2, 3], NpyFile.Read(path).AsSpan<int>().ToArray());
        Assert.Equal(["out.npy"], dir.Files());
    }

    [Fact]
    public void WritePath_CreatesMissingFolder()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "sub", "deeper", "x.npy");

        NpyFile.Write(path, TensorData.Create([1.0], 1));

        Assert.True(File.Exists(path));
    }

    [Fact]
    public void SeveralArraysInOneStream_ReadInTurn()
    {
        using var ms = new MemoryStream();
        NpyFile.Write(ms, TensorData.Create([1f, 2f], 2));
        NpyFile.Write(ms, TensorData.Create([(sbyte)-3], []));
        ms.Position = 0;

        Assert.Equal([1f, 2f], NpyFile.Read(ms, "s").AsSpan<float>().ToArray());
        Assert.Equal(-3, NpyFile.Read(ms, "s").AsSpan<sbyte>()[0]);
        Assert.Equal(ms.Length, ms.Position);
    }
}
