using System.Numerics;
using System.Text;
using PipelineGate.Tensors;

namespace PipelineGate.Tests.Tensors;

public sealed class NpyFileReadTests
{
    private static readonly float[] Six = [0, 1, 2, 3, 4, 5];

    private static TensorData Read(byte[] bytes) => NpyFile.Read(new MemoryStream(bytes), "t.npy");

    [Theory]
    [InlineData("{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}")]
    [InlineData("{ 'descr' : '<f4' ,  'fortran_order' : False , 'shape' : ( 2 , 3 ) }")]
    [InlineData("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}")]
    [InlineData("{'descr':'<f4','fortran_order':False,'shape':(2,3,),}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }")]
    [InlineData("{'descr': u'<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': None}")]
    [InlineData("{'descr': 'float32', 'fortran_order': False, 'shape': [2, 3]}")]
    [InlineData("{'descr': '=f4', 'fortran_order': False, 'shape': (2, 3)}")]
    [InlineData("{'descr': 'f4', 'fortran_order': False, 'shape': (2, 3)}")]
    [InlineData("{\n\t'descr': '<f4',\n\t'fortran_order': False,\n\t'shape': (2, 3),\n}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\0\0\0\0")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }                 \n")]
    public void Header_IsParsedRobustly(string header)
    {
        var t = Read(NumpyBytes.Raw(1, header, NumpyBytes.LittleEndian(Six)));

        Assert.Equal(TensorElementType.Float, t.ElementType);
        Assert.Equal([2L, 3L], t.ShapeArray());
        Assert.Equal(Six, t.AsSpan<float>().ToArray());
    }

    [Theory]
    [InlineData("(3,)")]
    [InlineData("(3)")]
    [InlineData("( 3 , )")]
    public void OneDimensionalShapeSpellings(string tuple)
    {
        var t = Read(NumpyBytes.Raw(1, "{'descr': '<i2', 'fortran_order': False, 'shape': " + tuple + "}\n", NumpyBytes.LittleEndian<short>(1, 2, 3)));
        Assert.Equal([3L], t.ShapeArray());
        Assert.Equal(new short[] { 1, 2, 3 }, t.AsSpan<short>().ToArray());
    }

    [Fact]
    public void Version2_IsRead()
    {
        var bytes = NumpyBytes.Raw(2, "{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }" + new string(' ', 100) + "\n", NumpyBytes.LittleEndian<ushort>(65535, 7));
        var t = Read(bytes);
        Assert.Equal(TensorElementType.UInt16, t.ElementType);
        Assert.Equal(new ushort[] { 65535, 7 }, t.AsSpan<ushort>().ToArray());
    }

    [Fact]
    public void Version3_HeaderIsUtf8()
    {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'note': 'ünï€'}\n";
        var bytes = NumpyBytes.Raw(3, header, NumpyBytes.LittleEndian(1f, 2f), Encoding.UTF8);
        Assert.Equal([1f, 2f], Read(bytes).AsSpan<float>().ToArray());
    }

    [Fact]
    public void FortranOrder_2D_IsTransposedToC()
    {
        // A = [[0, 1, 2], [3, 4, 5]] stored column by column.
        var fortran = NumpyBytes.LittleEndian(0f, 3f, 1f, 4f, 2f, 5f);
        var bytes = NumpyBytes.Save("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 3, fortran);

        var t = Read(bytes);

        Assert.Equal([2L, 3L], t.ShapeArray());
        Assert.Equal(Six, t.AsSpan<float>().ToArray());
    }

    [Fact]
    public void FortranOrder_3D_IsTransposedToC()
    {
        int[] dims = [2, 3, 4];
        var fortran = new int[24];
        var c = new int[24];
        for (var i = 0; i < 2; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                for (var k = 0; k < 4; k++)
                {
                    var value = (100 * i) + (10 * j) + k;
                    fortran[i + (2 * j) + (6 * k)] = value;
                    c[(12 * i) + (4 * j) + k] = value;
                }
            }
        }

        var bytes = NumpyBytes.Save("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 4), }", dims[^1], NumpyBytes.LittleEndian(fortran));

        Assert.Equal(c, Read(bytes).AsSpan<int>().ToArray());
    }

    [Fact]
    public void FortranOrder_BigEndianComplex_IsSwappedAndTransposed()
    {
        // [[1+2j, 3+4j], [5+6j, 7+8j]] as '>c8', column-major.
        var fortranLe = NumpyBytes.LittleEndian(1f, 2f, 5f, 6f, 3f, 4f, 7f, 8f);
        var bytes = NumpyBytes.Save("{'descr': '>c8', 'fortran_order': True, 'shape': (2, 2), }", 2, NumpyBytes.Swap(fortranLe, 4));

        var t = Read(bytes);

        Assert.Equal(TensorElementType.Complex64, t.ElementType);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], t.Bytes.Chunk(4).Select(b => BitConverter.ToSingle(b)).ToArray());
    }

    [Fact]
    public void FortranOrder_Complex128_UsesWholeElements()
    {
        // shape (3, 2) of complex128: element (i, j) = i + 10j + 1j*(i - j)
        var fortran = new Complex[6];
        var c = new Complex[6];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 2; j++)
            {
                var v = new Complex(i + (10 * j), i - j);
                fortran[i + (3 * j)] = v;
                c[(2 * i) + j] = v;
            }
        }

        var bytes = NumpyBytes.Save("{'descr': '<c16', 'fortran_order': True, 'shape': (3, 2), }", 2, NumpyBytes.LittleEndian(fortran));
        var t = Read(bytes);

        Assert.Equal(TensorElementType.Complex128, t.ElementType);
        Assert.Equal(NumpyBytes.LittleEndian(c), t.Bytes);
    }

    [Theory]
    [InlineData("(5,)", 5)]
    [InlineData("(2, 0)", 0)]
    [InlineData("()", 1)]
    public void FortranOrder_TrivialLayouts_AreUnchanged(string tuple, int count)
    {
        var data = NumpyBytes.LittleEndian(Enumerable.Range(1, count).Select(i => (long)i).ToArray());
        var t = Read(NumpyBytes.Raw(1, "{'descr': '<i8', 'fortran_order': True, 'shape': " + tuple + ", }\n", data));
        Assert.Equal(data, t.Bytes);
    }

    [Theory]
    [InlineData(">f2", TensorElementType.Float16, 2)]
    [InlineData(">f4", TensorElementType.Float, 4)]
    [InlineData(">f8", TensorElementType.Double, 8)]
    [InlineData(">i2", TensorElementType.Int16, 2)]
    [InlineData(">u2", TensorElementType.UInt16, 2)]
    [InlineData(">i4", TensorElementType.Int32, 4)]
    [InlineData(">u4", TensorElementType.UInt32, 4)]
    [InlineData(">i8", TensorElementType.Int64, 8)]
    [InlineData(">u8", TensorElementType.UInt64, 8)]
    [InlineData(">c8", TensorElementType.Complex64, 4)]
    [InlineData(">c16", TensorElementType.Complex128, 8)]
    [InlineData(">i1", TensorElementType.Int8, 1)]
    [InlineData(">u1", TensorElementType.UInt8, 1)]
    [InlineData(">b1", TensorElementType.Bool, 1)]
    public void BigEndian_IsSwappedToLittleEndian(string descr, TensorElementType type, int unit)
    {
        var little = NpyFileWriteTests.Pattern(type, 6);
        var bytes = NumpyBytes.Save("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (3, 2), }", 3, NumpyBytes.Swap(little, unit));

        var t = Read(bytes);

        Assert.Equal(type, t.ElementType);
        Assert.Equal(little, t.Bytes);
    }

    [Fact]
    public void BigEndian_Values()
    {
        var bytes = NumpyBytes.Save("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", 2, [0x3F, 0xF8, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Equal([1.5, -2.0], Read(bytes).AsSpan<double>().ToArray());
    }

    [Fact]
    public void Bool_NonZeroBytesBecomeOne()
    {
        var t = Read(NumpyBytes.Save("{'descr': '|b1', 'fortran_order': False, 'shape': (4,), }", 4, [0, 1, 2, 255]));
        Assert.Equal(TensorElementType.Bool, t.ElementType);
        Assert.Equal(new byte[] { 0, 1, 1, 1 }, t.Bytes);
    }

    [Fact]
    public void Float16_IsRead()
    {
        var t = Read(NumpyBytes.Save("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", 2, [0x00, 0x3E, 0x00, 0xBC]));
        Assert.Equal(TensorElementType.Float16, t.ElementType);
        Assert.Equal([1.5, -1.0], t.ToDoubleArray());
    }

    [Fact]
    public void TrailingBytesAfterTheData_AreIgnoredLikeNumpy()
    {
        var bytes = NumpyBytes.Concat(NumpyBytes.Save("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", 2, [7, 8]), [9, 9, 9]);
        Assert.Equal(new byte[] { 7, 8 }, Read(bytes).Bytes);
    }

    [Fact]
    public void NonSeekableStream_IsRead()
    {
        var bytes = NumpyBytes.Save("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", 2, NumpyBytes.LittleEndian(5, 6));
        using var stream = new ForwardOnlyStream(bytes);
        Assert.Equal([5, 6], NpyFile.Read(stream, "pipe").AsSpan<int>().ToArray());
    }

    /// <summary>Hands out at most 3 bytes per read and cannot seek, like a network or zip stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _pos;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 3), data.Length - _pos);
            Array.Copy(data, _pos, buffer, offset, n);
            _pos += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
