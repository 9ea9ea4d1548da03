using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.IO;

/// <summary>External data references are checked when a model is loaded: present, inside the model's folder, long enough.</summary>
public sealed class ExternalDataErrorTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _modelDir;

    public ExternalDataErrorTests()
    {
        _modelDir = _dir.Sub("model");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>y = x + w where w ([16] float, 64 bytes) is stored externally as given.</summary>
    private string WriteModel(TensorProto weight, string name = "model.onnx") =>
        new ModelBuilder()
            .Input("x", TensorElementType.Float, 16)
            .Initializer(weight)
            .Node("Add", ["x", "w"], ["y"])
            .Output("y", TensorElementType.Float, 16)
            .WriteTo(Path.Combine(_modelDir, name));

    private static TensorProto Weight(string location, long? offset = null, long? length = null) =>
        TensorProtos.External("w", TensorElementType.Float, [16], location, offset, length);

    private static PipelineGateException LoadFails(string path, PgCode expected)
    {
        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(path));
        Assert.Equal(expected, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        return ex;
    }

    private string WriteSecret(string folder)
    {
        var secret = Path.Combine(folder, "secret.bin");
        File.WriteAllBytes(secret, new byte[64]);
        return secret;
    }

    [Fact]
    public void Missing_data_file_is_ExternalDataMissing()
    {
        var path = WriteModel(Weight("weights.bin", 0, 64));
        var ex = LoadFails(path, PgCode.ExternalDataMissing);
        Assert.Equal(2005, (int)ex.Code);
        Assert.Contains("weights.bin", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void External_entry_without_location_is_ExternalDataMissing()
    {
        var w = new TensorProto { Name = "w", DataType = (int)TensorElementType.Float, DataLocation = TensorProto.Types.DataLocation.External };
        w.Dims.Add(16);
        w.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "0" });
        LoadFails(WriteModel(w), PgCode.ExternalDataMissing);
    }

    [Fact]
    public void External_data_of_a_model_loaded_without_folder_is_ExternalDataMissing()
    {
        File.WriteAllBytes(Path.Combine(_modelDir, "weights.bin"), new byte[64]);
        var bytes = File.ReadAllBytes(WriteModel(Weight("weights.bin", 0, 64)));
        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(bytes, "in-memory.onnx"));
        Assert.Equal(PgCode.ExternalDataMissing, ex.Code);
        Assert.Equal("in-memory.onnx", ex.Diagnostic.File);
    }

    [Fact]
    public void Parent_relative_location_is_refused()
    {
        WriteSecret(_dir.Path);
        var ex = LoadFails(WriteModel(Weight("../secret.bin", 0, 64)), PgCode.ExternalDataOutsideModelFolder);
        Assert.Equal(2006, (int)ex.Code);
        Assert.Contains("../secret.bin", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Location_that_climbs_out_after_descending_is_refused()
    {
        WriteSecret(_dir.Path);
        Directory.CreateDirectory(Path.Combine(_modelDir, "sub"));
        LoadFails(WriteModel(Weight("sub/../../secret.bin", 0, 64)), PgCode.ExternalDataOutsideModelFolder);
    }

    [Fact]
    public void Absolute_location_is_refused()
    {
        var secret = WriteSecret(_dir.Path);
        var ex = LoadFails(WriteModel(Weight(secret, 0, 64)), PgCode.ExternalDataOutsideModelFolder);
        Assert.Contains(secret, ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absolute_location_inside_the_model_folder_is_still_refused()
    {
        var inside = Path.Combine(_modelDir, "weights.bin");
        File.WriteAllBytes(inside, new byte[64]);
        LoadFails(WriteModel(Weight(inside, 0, 64)), PgCode.ExternalDataOutsideModelFolder);
    }

    [Fact]
    public void Symlinked_data_file_pointing_outside_is_refused()
    {
        var secret = WriteSecret(_dir.Path);
        File.CreateSymbolicLink(Path.Combine(_modelDir, "weights.bin"), secret);
        var path = WriteModel(Weight("weights.bin", 0, 64));

        var ex = LoadFails(path, PgCode.ExternalDataOutsideModelFolder);
        Assert.Contains(secret, ex.Diagnostic.Message, StringComparison.Ordinal);

        // Reading the tensor (not only loading the model) is refused too, and the secret is untouched.
        var bytes = File.ReadAllBytes(path);
        var file = ModelFile.Load(new ModelBuilder().ToBytes(), path, _modelDir);
        var w = Proto.ModelProto.Parser.ParseFrom(bytes).Graph.Initializer[0];
        var read = Assert.Throws<PipelineGateException>(() => TensorProtoConverter.ToTensorData(w, file));
        Assert.Equal(PgCode.ExternalDataOutsideModelFolder, read.Code);
        Assert.Equal(new byte[64], File.ReadAllBytes(secret));
    }

    [Fact]
    public void Relative_symlink_climbing_out_of_the_folder_is_refused()
    {
        WriteSecret(_dir.Path);
        File.CreateSymbolicLink(Path.Combine(_modelDir, "weights.bin"), "../secret.bin");
        LoadFails(WriteModel(Weight("weights.bin", 0, 64)), PgCode.ExternalDataOutsideModelFolder);
    }

    [Fact]
    public void Symlinked_data_file_pointing_inside_the_folder_is_accepted()
    {
        // A one-element tensor, so that the range check passes whichever size is taken for the link (see the skipped test below).
        var value = new byte[4];
        BitConverter.TryWriteBytes(value, 2.5f);
        File.WriteAllBytes(Path.Combine(_modelDir, "real.bin"), value);
        File.CreateSymbolicLink(Path.Combine(_modelDir, "weights.bin"), Path.Combine(_modelDir, "real.bin"));
        var path = new ModelBuilder()
            .Initializer(TensorProtos.External("w", TensorElementType.Float, [1], "weights.bin", 0, 4))
            .WriteTo(Path.Combine(_modelDir, "one.onnx"));

        var file = ModelFile.Load(path);
        Assert.Equal(new[] { 2.5f }, TensorProtoConverter.ToTensorData(file.Graph.Initializer[0], file).AsSpan<float>().ToArray());
    }

    [Fact]
    public void Relative_symlink_to_a_data_file_inside_the_folder_is_accepted()
    {
        File.WriteAllBytes(Path.Combine(_modelDir, "real.bin"), new byte[64]);
        File.CreateSymbolicLink(Path.Combine(_modelDir, "weights.bin"), "real.bin");
        var file = ModelFile.Load(WriteModel(Weight("weights.bin", 0, 64)));
        Assert.Equal(16, TensorProtoConverter.ToTensorData(file.Graph.Initializer[0], file).ElementCount);
    }

    [Fact]
    public void Model_folder_reached_through_a_symlink_accepts_links_inside_it()
    {
        var alias = Path.Combine(_dir.Path, "alias");
        Directory.CreateSymbolicLink(alias, _modelDir);
        File.WriteAllBytes(Path.Combine(_modelDir, "real.bin"), new byte[64]);
        File.CreateSymbolicLink(Path.Combine(_modelDir, "weights.bin"), Path.Combine(_modelDir, "real.bin"));
        WriteModel(Weight("weights.bin", 0, 64));

        var file = ModelFile.Load(Path.Combine(alias, "model.onnx"));
        Assert.Equal(16, TensorProtoConverter.ToTensorData(file.Graph.Initializer[0], file).ElementCount);
    }

    [Fact]
    public void Symlinked_folder_pointing_outside_is_refused()
    {
        var outside = _dir.Sub("outside");
        WriteSecret(outside);
        Directory.CreateSymbolicLink(Path.Combine(_modelDir, "sub"), outside);
        LoadFails(WriteModel(Weight("sub/secret.bin", 0, 64)), PgCode.ExternalDataOutsideModelFolder);
    }

    [Fact]
    public void Offset_plus_length_beyond_the_file_is_ExternalDataOutOfRange()
    {
        File.WriteAllBytes(Path.Combine(_modelDir, "weights.bin"), new byte[100]);
        var ex = LoadFails(WriteModel(Weight("weights.bin", 64, 64)), PgCode.ExternalDataOutOfRange);
        Assert.Equal(2014, (int)ex.Code);
    }

    [Fact]
    public void Offset_beyond_the_file_is_ExternalDataOutOfRange()
    {
        File.WriteAllBytes(Path.Combine(_modelDir, "weights.bin"), new byte[64]);
        LoadFails(WriteModel(Weight("weights.bin", 65)), PgCode.ExternalDataOutOfRange);
    }

    [Fact]
    public void Data_file_shorter_than_the_tensor_without_length_fails_when_read()
    {
        File.WriteAllBytes(Path.Combine(_modelDir, "weights.bin"), new byte[40]);
        var path = WriteModel(Weight("weights.bin"));
        var file = ModelFile.Load(path);

        var ex = Assert.Throws<PipelineGateException>(() => TensorProtoConverter.ToTensorData(file.Graph.Initializer[0], file));
        Assert.Equal(PgCode.ExternalDataOutOfRange, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
    }

    [Fact]
    public void External_length_not_matching_the_shape_is_TensorDataLengthMismatch()
    {
        File.WriteAllBytes(Path.Combine(_modelDir, "weights.bin"), new byte[128]);
        var path = WriteModel(Weight("weights.bin", 0, 128));
        var file = ModelFile.Load(path);

        var ex = Assert.Throws<PipelineGateException>(() => TensorProtoConverter.ToTensorData(file.Graph.Initializer[0], file));
        Assert.Equal(PgCode.TensorDataLengthMismatch, ex.Code);
        Assert.Equal(path, ex.Diagnostic.File);
    }

    [Fact]
    public void Valid_external_data_reads_the_bytes_at_its_offset()
    {
        var data = new byte[200];
        var floats = Enumerable.Range(0, 16).Select(static i => i * 1.5f).ToArray();
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan()).CopyTo(data.AsSpan(100));
        File.WriteAllBytes(Path.Combine(_modelDir, "weights.bin"), data);
        var file = ModelFile.Load(WriteModel(Weight("weights.bin", 100, 64)));

        var tensor = TensorProtoConverter.ToTensorData(file.Graph.Initializer[0], file);
        Assert.Equal(floats, tensor.AsSpan<float>().ToArray());
    }
}
