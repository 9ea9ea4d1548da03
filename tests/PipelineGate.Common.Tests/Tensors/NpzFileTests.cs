using System.IO.Compression;
using PipelineGate.Diagnostics;
using PipelineGate.Tensors;
using PipelineGate.Tests.Support;

namespace PipelineGate.Tests.Tensors;

public sealed class NpzFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static OrderedDictionary<string, TensorData> Sample() => new()
    {
        ["zeta"] = TensorData.Create([1f, 2f, 3f, 4f, 5f, 6f], 2, 3),
        ["alpha"] = TensorData.Create([1L, 2L], 2),
        ["mask"] = TensorData.Create([true, false, true], 3),
        ["scalar"] = TensorData.Create([3.25], []),
        ["empty"] = TensorData.FromBytes(TensorElementType.Int32, [0, 4], []),
    };

    private static void AssertSame(IReadOnlyDictionary<string, TensorData> expected, IReadOnlyDictionary<string, TensorData> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, tensor) in expected)
        {
            Assert.Equal(tensor.ElementType, actual[name].ElementType);
            Assert.Equal(tensor.ShapeArray(), actual[name].ShapeArray());
            Assert.Equal(tensor.Bytes, actual[name].Bytes);
        }
    }

    private static byte[] Npy(TensorData tensor)
    {
        using var ms = new MemoryStream();
        NpyFile.Write(ms, tensor);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 8)]
    public void WriteThenRead_PreservesNamesOrderAndData(bool compressed, int method)
    {
        var path = _dir.File("data.npz");
        var arrays = Sample();

        NpzFile.Write(path, arrays, compressed);

        AssertSame(arrays, NpzFile.Read(path));
        var headers = ZipBuilder.LocalHeaders(File.ReadAllBytes(path));
        Assert.Equal(["zeta.npy", "alpha.npy", "mask.npy", "scalar.npy", "empty.npy"], headers.Select(h => h.Name));
        Assert.All(headers, h => Assert.Equal(method, h.Method));
        Assert.Equal(["data.npz"], _dir.Files());
    }

    [Fact]
    public void EntriesHoldExactlyTheNpyBytes()
    {
        var path = _dir.File("data.npz");
        var arrays = Sample();
        NpzFile.Write(path, arrays, compressed: true);

        using var zip = ZipFile.OpenRead(path);
        foreach (var (name, tensor) in arrays)
        {
            using var s = zip.GetEntry(name + ".npy")!.Open();
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            Assert.Equal(Npy(tensor), ms.ToArray());
        }
    }

    [Fact]
    public void Write_IsDeterministic()
    {
        NpzFile.Write(_dir.File("a.npz"), Sample(), compressed: false);
        NpzFile.Write(_dir.File("b.npz"), Sample(), compressed: false);
        Assert.Equal(File.ReadAllBytes(_dir.File("a.npz")), File.ReadAllBytes(_dir.File("b.npz")));
    }

    [Fact]
    public void Write_ToStream_RoundTrips()
    {
        using var ms = new MemoryStream();
        NpzFile.Write(ms, Sample(), compressed: true);
        ms.Position = 0;
        AssertSame(Sample(), NpzFile.Read(ms, "mem.npz"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PythonZipfileLayout_IsRead(bool deflate)
    {
        // What np.savez / np.savez_compressed produce: zip64 local headers with the real sizes in
        // the extra field, entries in call order.
        var x = TensorData.Create([1.5f, -2f], 2);
        var y = TensorData.Create([(byte)7], 1, 1);
        var zip = new ZipBuilder()
            .Add("x.npy", Npy(x), deflate)
            .Add("y.npy", Npy(y), deflate)
            .Build();
        var path = _dir.File("py.npz");
        File.WriteAllBytes(path, zip);

        var arrays = NpzFile.Read(path);

        Assert.Equal(["x", "y"], arrays.Keys);
        Assert.Equal([1.5f, -2f], arrays["x"].AsSpan<float>().ToArray());
        Assert.Equal([1L, 1L], arrays["y"].ShapeArray());
    }

    [Fact]
    public void EntryNames_KeepInnerDotsAndNonNpySuffixes()
    {
        var zip = new ZipBuilder()
            .Add("model.input.npy", Npy(TensorData.Create([1], 1)))
            .Add("raw", Npy(TensorData.Create([2], 1)))
            .Add("folder/", [])
            .Add("folder/inner.npy", Npy(TensorData.Create([3], 1)))
            .Build();

        using var reader = new NpzReader(new MemoryStream(zip), "names.npz");

        Assert.Equal(["model.input", "raw", "folder/inner"], reader.Names);
        Assert.Equal(3, reader.Get("folder/inner").AsSpan<int>()[0]);
        Assert.Equal(2, reader.Get("raw").AsSpan<int>()[0]);
    }

    [Fact]
    public void Reader_LoadsOnDemand()
    {
        var path = _dir.File("lazy.npz");
        NpzFile.Write(path, Sample(), compressed: true);

        using var reader = new NpzReader(path);

        Assert.Equal(["zeta", "alpha", "mask", "scalar", "empty"], reader.Names);
        Assert.True(reader.Contains("mask"));
        Assert.False(reader.Contains("mask.npy"));
        Assert.Equal([1L, 2L], reader.Get("alpha").AsSpan<long>().ToArray());
        Assert.Equal([1L, 2L], reader.Get("alpha").AsSpan<long>().ToArray());
        Assert.Equal(3.25, reader.Get("scalar").AsSpan<double>()[0]);
    }

    [Fact]
    public void Reader_GetFromSeveralThreads()
    {
        var arrays = new OrderedDictionary<string, TensorData>();
        for (var i = 0; i < 16; i++)
        {
            arrays[$"a{i}"] = TensorData.Create(Enumerable.Range(i, 1000).Select(v => (float)v).ToArray(), 10, 100);
        }

        var path = _dir.File("many.npz");
        NpzFile.Write(path, arrays, compressed: true);
        using var reader = new NpzReader(path);

        Parallel.For(0, 64, k =>
        {
            var name = $"a{k % 16}";
            Assert.Equal(arrays[name].Bytes, reader.Get(name).Bytes);
        });
    }

    [Fact]
    public void Reader_MissingName_IsDataNotFound()
    {
        var path = _dir.File("d.npz");
        NpzFile.Write(path, Sample(), compressed: false);
        using var reader = new NpzReader(path);

        var ex = Assert.Throws<PipelineGateException>(() => reader.Get("labels"));

        Assert.Equal(PgCode.DataNotFound, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
        Assert.Contains("'labels'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'zeta', 'alpha'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_AfterDispose_Throws()
    {
        var path = _dir.File("d.npz");
        NpzFile.Write(path, Sample(), compressed: false);
        var reader = new NpzReader(path);
        reader.Dispose();
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.Get("zeta"));

        // The file handle is released.
        File.Delete(path);
    }

    [Fact]
    public void Reader_LeaveOpen_KeepsTheStream()
    {
        using var ms = new MemoryStream();
        NpzFile.Write(ms, Sample(), compressed: false);
        ms.Position = 0;
        using (var reader = new NpzReader(ms, "mem", leaveOpen: true))
        {
            Assert.Equal(5, reader.Names.Count);
        }

        Assert.True(ms.CanRead);
    }

    [Fact]
    public void Write_UnsupportedType_Fails_AndLeavesNoFile()
    {
        var path = _dir.File("bad.npz");
        var arrays = new Dictionary<string, TensorData>
        {
            ["ok"] = TensorData.Create([1f], 1),
            ["weights"] = TensorData.FromBytes(TensorElementType.BFloat16, [1], new byte[2]),
        };

        var ex = Assert.Throws<PipelineGateException>(() => NpzFile.Write(path, arrays, compressed: true));

        Assert.Equal(PgCode.TensorFileUnsupportedType, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
        Assert.Contains("weights.npy", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_dir.Files());
    }

    [Fact]
    public void Write_ReplacesExistingArchive()
    {
        var path = _dir.File("d.npz");
        NpzFile.Write(path, Sample(), compressed: false);
        NpzFile.Write(path, new Dictionary<string, TensorData> { ["only"] = TensorData.Create([9], 1) }, compressed: true);

        Assert.Equal(["only"], NpzFile.Read(path).Keys);
        Assert.Equal(["d.npz"], _dir.Files());
    }

    [Fact]
    public void Write_EmptyName_IsAnArgumentError()
        => Assert.Throws<ArgumentException>(() => NpzFile.Write(_dir.File("x.npz"), new Dictionary<string, TensorData> { [""] = TensorData.Create([1], 1) }, compressed: false));

    [Fact]
    public void Write_NoArrays_GivesAnEmptyArchive()
    {
        var path = _dir.File("none.npz");
        NpzFile.Write(path, new Dictionary<string, TensorData>(), compressed: false);
        Assert.Empty(NpzFile.Read(path));
    }

    private PipelineGateException ReadFails(byte[] bytes, PgCode code)
    {
        var path = _dir.File("bad.npz");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<PipelineGateException>(() => NpzFile.Read(path));
        Assert.Equal(code, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
        Assert.StartsWith(path + ": error PG", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void NotAZip() => ReadFails("just some text that is not an archive"u8.ToArray(), PgCode.TensorFileInvalid);

    [Fact]
    public void EmptyFile() => Assert.Contains("empty", ReadFails([], PgCode.TensorFileInvalid).Message, StringComparison.Ordinal);

    [Fact]
    public void NpyInsteadOfNpz()
        => Assert.Contains("single .npy", ReadFails(Npy(TensorData.Create([1f], 1)), PgCode.TensorFileInvalid).Message, StringComparison.Ordinal);

    [Fact]
    public void GitLfsPointer()
        => Assert.Contains("git lfs pull", ReadFails("version https://git-lfs.github.com/spec/v1\n"u8.ToArray(), PgCode.TensorFileInvalid).Diagnostic.Hint, StringComparison.Ordinal);

    [Fact]
    public void TruncatedArchive()
    {
        var path = _dir.File("full.npz");
        NpzFile.Write(path, Sample(), compressed: false);
        var bytes = File.ReadAllBytes(path);
        ReadFails(bytes[..(bytes.Length / 2)], PgCode.TensorFileInvalid);
    }

    [Fact]
    public void DuplicateEntries()
    {
        var npy = Npy(TensorData.Create([1], 1));
        var ex = ReadFails(new ZipBuilder().Add("x.npy", npy).Add("x.npy", npy).Build(), PgCode.TensorFileInvalid);
        Assert.Contains("'x'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryThatIsNotNpy_NamesTheEntry()
    {
        var ex = ReadFails(new ZipBuilder().Add("readme.txt", "hello there, not an array"u8.ToArray()).Build(), PgCode.TensorFileInvalid);
        Assert.Contains("Entry 'readme.txt'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryWithTruncatedData_NamesTheEntry()
    {
        var npy = Npy(TensorData.Create(new double[10], 10));
        var ex = ReadFails(new ZipBuilder().Add("ok.npy", Npy(TensorData.Create([1], 1))).Add("cut.npy", npy[..^8], deflate: true).Build(), PgCode.TensorFileInvalid);
        Assert.Contains("Entry 'cut.npy'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryWithUnsupportedDtype_NamesTheEntry()
    {
        var unicode = NumpyBytes.Save("{'descr': '<U3', 'fortran_order': False, 'shape': (1,), }", 1, new byte[12]);
        var ex = ReadFails(new ZipBuilder().Add("names.npy", unicode).Build(), PgCode.TensorFileUnsupportedType);
        Assert.Contains("Entry 'names.npy'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EntryWithUnsupportedCompression()
    {
        var ex = ReadFails(new ZipBuilder().Add("x.npy", Npy(TensorData.Create([1], 1)), method: 12).Build(), PgCode.TensorFileInvalid);
        Assert.Contains("Entry 'x.npy'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile()
    {
        var path = _dir.File("missing.npz");
        var ex = Assert.Throws<PipelineGateException>(() => NpzFile.Read(path));
        Assert.Equal(PgCode.DataNotFound, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);

        var ex2 = Assert.Throws<PipelineGateException>(() => new NpzReader(path));
        Assert.Equal(PgCode.DataNotFound, ex2.Code);
    }
}
