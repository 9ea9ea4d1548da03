using System.Text;
using PipelineGate.Diagnostics;
using PipelineGate.Tensors;
using PipelineGate.Tests.Support;

namespace PipelineGate.Tests.Tensors;

public sealed class NpyFileErrorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes the bytes to a file, reads it, and checks the code and that the file is named.</summary>
    private PipelineGateException ReadFails(byte[] bytes, PgCode code)
    {
        var path = _dir.File("bad.npy");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<PipelineGateException>(() => NpyFile.Read(path));
        Assert.Equal(code, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
        Assert.StartsWith(path + ": error PG" + ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(ex.Diagnostic.Hint));
        return ex;
    }

    private static byte[] Npy(string header, byte[]? data = null) => NumpyBytes.Raw(1, header + "\n", data ?? []);

    [Fact]
    public void EmptyFile() => Assert.Contains("empty", ReadFails([], PgCode.TensorFileInvalid).Message, StringComparison.Ordinal);

    [Fact]
    public void BadMagic() => Assert.Contains("\\x93NUMPY", ReadFails(Encoding.ASCII.GetBytes("hello, world, this is text"), PgCode.TensorFileInvalid).Message, StringComparison.Ordinal);

    [Fact]
    public void ShorterThanMagic() => ReadFails([0x93, (byte)'N'], PgCode.TensorFileInvalid);

    [Fact]
    public void ZipInsteadOfNpy() => Assert.Contains(".npz", ReadFails([(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 0, 0], PgCode.TensorFileInvalid).Message, StringComparison.Ordinal);

    [Fact]
    public void GitLfsPointer()
    {
        var ex = ReadFails(Encoding.ASCII.GetBytes("version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n"), PgCode.TensorFileInvalid);
        Assert.Contains("git lfs pull", ex.Diagnostic.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 0)]
    [InlineData(1, 1)]
    [InlineData(0, 0)]
    public void UnknownVersion(byte major, byte minor)
    {
        var bytes = NumpyBytes.Raw(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)}\n", [0, 0, 0, 0]);
        bytes[6] = major;
        bytes[7] = minor;
        Assert.Contains("version", ReadFails(bytes, PgCode.TensorFileInvalid).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedAfterMagic() => ReadFails([.. NumpyBytes.Magic, 1], PgCode.TensorFileInvalid);

    [Fact]
    public void TruncatedLengthField() => ReadFails([.. NumpyBytes.Magic, 2, 0, 0x76, 0], PgCode.TensorFileInvalid);

    [Fact]
    public void TruncatedHeader()
    {
        var full = NumpyBytes.Save("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 2, NumpyBytes.LittleEndian(1f, 2f));
        Assert.Contains("header is truncated", ReadFails(full[..60], PgCode.TensorFileInvalid).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedData()
    {
        var full = NumpyBytes.Save("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 2, NumpyBytes.LittleEndian(new float[6]));
        var ex = ReadFails(full[..^14], PgCode.TensorFileInvalid);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Contains("float32(2, 3) (24 bytes)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("only 10 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedData_NonSeekable()
    {
        var full = NumpyBytes.Save("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", 4, new byte[32]);
        using var gz = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write(full.AsSpan(0, full.Length - 1));
        }

        gz.Position = 0;
        using var stream = new System.IO.Compression.DeflateStream(gz, System.IO.Compression.CompressionMode.Decompress);
        var ex = Assert.Throws<PipelineGateException>(() => NpyFile.Read(stream, "stream.npy"));
        Assert.Equal(PgCode.TensorFileInvalid, ex.Code);
        Assert.Equal("stream.npy", ex.Diagnostic.File);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a dict")]
    [InlineData("[1, 2]")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)")]
    [InlineData("{'descr': '<f4', 'fortran_order': Flase, 'shape': (2,)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}")]
    [InlineData("{'descr': '<f4 , 'fortran_order': False, 'shape': (2,)}")]
    [InlineData("{1: 2}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False}")]
    [InlineData("{'fortran_order': False, 'shape': (2,)}")]
    [InlineData("{'descr': '<f4', 'shape': (2,)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': ('2',)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': None}")]
    [InlineData("{'descr': 5, 'fortran_order': False, 'shape': (2,)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296)}")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000)}")]
    public void UnreadableHeader(string header) => ReadFails(Npy(header, new byte[8]), PgCode.TensorFileInvalid);

    [Fact]
    public void InvalidUtf8InVersion3Header()
    {
        var bytes = NumpyBytes.Raw(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 'AB'}\n", [0, 0, 0, 0]);
        var at = Array.IndexOf(bytes, (byte)'A');
        bytes[at] = 0xFF;
        Assert.Contains("UTF-8", ReadFails(bytes, PgCode.TensorFileInvalid).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("|O", "Python objects")]
    [InlineData("|O8", "Python objects")]
    [InlineData("<U5", "unicode strings")]
    [InlineData("|S3", "byte strings")]
    [InlineData("<f16", "np.longdouble")]
    [InlineData("<c32", "np.clongdouble")]
    [InlineData("<M8[ns]", "datetime64")]
    [InlineData("<m8[s]", "timedelta64")]
    [InlineData("|V16", "structured")]
    [InlineData("<i3", "unknown size")]
    [InlineData("zz", "unknown")]
    [InlineData("", "empty")]
    public void UnsupportedDtype(string descr, string reason)
    {
        var ex = ReadFails(Npy("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1,), }", new byte[16]), PgCode.TensorFileUnsupportedType);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains("float32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StructuredDtype()
    {
        var ex = ReadFails(Npy("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }", new byte[8]), PgCode.TensorFileUnsupportedType);
        Assert.Contains("structured", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile()
    {
        var path = _dir.File("nope.npy");
        var ex = Assert.Throws<PipelineGateException>(() => NpyFile.Read(path));
        Assert.Equal(PgCode.DataNotFound, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFolder()
    {
        var ex = Assert.Throws<PipelineGateException>(() => NpyFile.Read(Path.Combine(_dir.Path, "no", "such", "x.npy")));
        Assert.Equal(PgCode.DataNotFound, ex.Code);
    }

    [Fact]
    public void FolderInsteadOfFile()
    {
        var ex = Assert.Throws<PipelineGateException>(() => NpyFile.Read(_dir.Path));
        Assert.Equal(PgCode.DataNotFound, ex.Code);
        Assert.Contains("folder", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TensorElementType.BFloat16, "bfloat16")]
    [InlineData(TensorElementType.Float8E4M3FN, "float8e4m3fn")]
    [InlineData(TensorElementType.Int4, "int4")]
    public void WritingATypeWithoutNumpyDtype_FailsAndLeavesNoFile(TensorElementType type, string name)
    {
        var path = _dir.File("out.npy");
        var tensor = TensorData.FromBytes(type, [2], new byte[TensorElementTypeInfo.ByteCount(type, 2)]);

        var ex = Assert.Throws<PipelineGateException>(() => NpyFile.Write(path, tensor));

        Assert.Equal(PgCode.TensorFileUnsupportedType, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        Assert.Empty(_dir.Files());
    }

    [Fact]
    public void WritingStrings_Fails_AndKeepsTheExistingFile()
    {
        var path = _dir.File("out.npy");
        NpyFile.Write(path, TensorData.Create([1f], 1));
        var before = File.ReadAllBytes(path);

        var ex = Assert.Throws<PipelineGateException>(() => NpyFile.Write(path, TensorData.FromStrings(["a", "b"], [2])));

        Assert.Equal(PgCode.TensorFileUnsupportedType, ex.Code);
        Assert.Contains("string", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["out.npy"], _dir.Files());
    }

    [Fact]
    public void WritingBFloat16ToAStream_Fails()
    {
        using var ms = new MemoryStream();
        var ex = Assert.Throws<PipelineGateException>(() => NpyFile.Write(ms, TensorData.FromBytes(TensorElementType.BFloat16, [1], new byte[2])));
        Assert.Equal(PgCode.TensorFileUnsupportedType, ex.Code);
        Assert.Contains("bfloat16", ex.Diagnostic.Hint, StringComparison.Ordinal);
        Assert.Equal(0, ms.Length);
    }
}
