using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.IO;

/// <summary>
/// External data through real symbolic links that lead nowhere: a dangling link and a link loop are
/// PG2005 naming the link, never an IOException; a chain of links that stays inside the folder is read.
/// </summary>
public sealed class ExternalDataSymlinkTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _modelDir;

    public ExternalDataSymlinkTests()
    {
        _modelDir = _dir.Sub("model");
    }

    public void Dispose() => _dir.Dispose();

    private string WriteModel(string location) =>
        new ModelBuilder()
            .Input("x", TensorElementType.Float, 16)
            .Initializer(TensorProtos.External("w", TensorElementType.Float, [16], location, 0, 64))
            .Node("Add", ["x", "w"], ["y"])
            .Output("y", TensorElementType.Float, 16)
            .WriteTo(Path.Combine(_modelDir, "model.onnx"));

    [Fact]
    public void A_dangling_link_is_PG2005_naming_it()
    {
        File.CreateSymbolicLink(Path.Combine(_modelDir, "weights.bin"), Path.Combine(_modelDir, "gone.bin"));
        var path = WriteModel("weights.bin");

        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(path));

        Assert.Equal(PgCode.ExternalDataMissing, ex.Code);
        Assert.Contains("symbolic link", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("dangles", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_loop_is_PG2005_not_an_IOException()
    {
        File.CreateSymbolicLink(Path.Combine(_modelDir, "a.bin"), Path.Combine(_modelDir, "b.bin"));
        File.CreateSymbolicLink(Path.Combine(_modelDir, "b.bin"), Path.Combine(_modelDir, "a.bin"));
        var path = WriteModel("a.bin");

        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(path));

        Assert.Equal(PgCode.ExternalDataMissing, ex.Code);
        Assert.Contains("loop", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_link_loop_is_coded()
    {
        Directory.CreateSymbolicLink(Path.Combine(_modelDir, "d1"), Path.Combine(_modelDir, "d2"));
        Directory.CreateSymbolicLink(Path.Combine(_modelDir, "d2"), Path.Combine(_modelDir, "d1"));
        var path = WriteModel("d1/weights.bin");

        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(path));

        Assert.True(ex.Code is PgCode.ExternalDataMissing or PgCode.ExternalDataOutsideModelFolder, ex.Message);
    }

    [Fact]
    public void A_chain_of_links_inside_the_folder_is_read()
    {
        File.WriteAllBytes(Path.Combine(_modelDir, "real.bin"), new byte[64]);
        File.CreateSymbolicLink(Path.Combine(_modelDir, "l1.bin"), "real.bin");
        File.CreateSymbolicLink(Path.Combine(_modelDir, "l2.bin"), "l1.bin");
        var file = ModelFile.Load(WriteModel("l2.bin"));

        Assert.Equal(16, TensorProtoConverter.ToTensorData(file.Graph.Initializer[0], file).ElementCount);
    }

    [Fact]
    public void A_chain_of_links_whose_last_leaves_the_folder_is_PG2006()
    {
        var outside = _dir.Sub("outside");
        File.WriteAllBytes(Path.Combine(outside, "secret.bin"), new byte[64]);
        File.CreateSymbolicLink(Path.Combine(_modelDir, "l1.bin"), Path.Combine(outside, "secret.bin"));
        File.CreateSymbolicLink(Path.Combine(_modelDir, "l2.bin"), "l1.bin");

        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(WriteModel("l2.bin")));

        Assert.Equal(PgCode.ExternalDataOutsideModelFolder, ex.Code);
    }
}
