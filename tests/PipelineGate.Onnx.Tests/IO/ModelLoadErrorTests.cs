using System.Text;
using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.IO;

/// <summary>Each way a path can fail to be an ONNX model gets its own PG2xxx code naming the file.</summary>
public sealed class ModelLoadErrorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static PipelineGateException LoadFails(string path, PgCode expected)
    {
        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(path));
        Assert.Equal(expected, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void Missing_file_is_ModelNotFound()
    {
        var ex = LoadFails(_dir.File("nope.onnx"), PgCode.ModelNotFound);
        Assert.Equal(2001, (int)ex.Code);
    }

    [Fact]
    public void Folder_path_is_ModelNotFound()
    {
        var folder = _dir.Sub("model.onnx");
        var ex = LoadFails(folder, PgCode.ModelNotFound);
        Assert.Contains("folder", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_ModelEmpty()
    {
        var path = _dir.File("empty.onnx");
        File.WriteAllBytes(path, []);
        var ex = LoadFails(path, PgCode.ModelEmpty);
        Assert.Equal(2002, (int)ex.Code);
    }

    [Fact]
    public void Random_bytes_are_ModelCorrupt()
    {
        var bytes = new byte[4096];
        new Random(20240607).NextBytes(bytes);
        var path = _dir.File("random.onnx");
        File.WriteAllBytes(path, bytes);
        var ex = LoadFails(path, PgCode.ModelCorrupt);
        Assert.Equal(2003, (int)ex.Code);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    [InlineData(1234)]
    public void Random_bytes_with_any_seed_are_ModelCorrupt(int seed)
    {
        var bytes = new byte[4096];
        new Random(seed).NextBytes(bytes);
        var path = _dir.File("random.onnx");
        File.WriteAllBytes(path, bytes);
        LoadFails(path, PgCode.ModelCorrupt);
    }

    [Fact]
    public void Valid_model_truncated_at_half_is_ModelCorrupt()
    {
        var bytes = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1, 64)
            .Initializer("w", [64, 64])
            .Node("MatMul", ["x", "w"], ["y"])
            .Output("y", TensorElementType.Float, 1, 64)
            .ToBytes();
        var path = _dir.File("half.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        LoadFails(path, PgCode.ModelCorrupt);
    }

    [Fact]
    public void Protobuf_without_graph_is_ModelCorrupt()
    {
        var path = _dir.File("nograph.onnx");
        File.WriteAllBytes(path, new Proto.ModelProto { IrVersion = 9, ProducerName = "x" }.ToByteArray());
        var ex = LoadFails(path, PgCode.ModelCorrupt);
        Assert.Contains("no graph", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Git_lfs_pointer_is_recognised_and_says_git_lfs_pull()
    {
        var path = _dir.File("model.onnx");
        File.WriteAllText(path,
            "version https://git-lfs.github.com/spec/v1\n"
            + "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
            + "size 123\n",
            new UTF8Encoding(false));
        var ex = LoadFails(path, PgCode.ModelIsGitLfsPointer);
        Assert.Equal(2004, (int)ex.Code);
        Assert.Contains("git lfs pull", ex.Diagnostic.Hint ?? ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("git lfs pull", ex.Message, StringComparison.Ordinal);
    }
}
