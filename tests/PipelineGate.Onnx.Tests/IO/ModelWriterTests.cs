using System.Runtime.InteropServices;
using Google.Protobuf;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.IO;

/// <summary>ModelWriter: external data layout, carrying data between folders, atomic writes, untouched sources.</summary>
public sealed class ModelWriterTests : IDisposable
{
    private const int BigCount = 512 * 512; // 1 MiB of float32
    private const int SmallCount = 1250;    // 5000 bytes: pushes the next tensor past the first 4 KiB boundary
    private static readonly ModelSaveOptions External = new() { ExternalDataThreshold = 1024 };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static float[] BigValues() => Enumerable.Range(0, BigCount).Select(static i => (i % 1000) * 0.001f - 0.5f).ToArray();

    private static float[] SmallValues()
    {
        var random = new Random(5);
        return Enumerable.Range(0, SmallCount).Select(_ => (float)random.NextDouble()).ToArray();
    }

    /// <summary>Two weights above the threshold (5000 bytes, then 1 MiB) and one below it (16 bytes).</summary>
    private static ModelProto WeightsModel() => new ModelBuilder()
        .Input("v", TensorElementType.Float, SmallCount)
        .Input("x", TensorElementType.Float, 512, 512)
        .Initializer(TensorProtos.Floats("small", [SmallCount], SmallValues()))
        .Initializer(TensorProtos.Floats("big", [512, 512], BigValues()))
        .Initializer(TensorProtos.Floats("tiny", [4], 1f, 2f, 3f, 4f))
        .Node("Add", ["v", "small"], ["a"])
        .Node("MatMul", ["x", "big"], ["m"])
        .Node("Add", ["m", "tiny"], ["b"]) // broadcast over the last dim is not exact here, but shapes do not matter to the writer
        .Output("a", TensorElementType.Float, SmallCount)
        .Output("b", TensorElementType.Float, 512, 512)
        .Build();

    private static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static TensorProto Init(ModelFile file, string name) => file.Graph.Initializer.Single(t => t.Name == name);

    private string SaveExternal(string folder)
    {
        var path = Path.Combine(_dir.Sub(folder), "model.onnx");
        ModelWriter.Save(ModelFile.Load(WeightsModel().ToByteArray(), "weights.onnx"), path, External);
        return path;
    }

    [Fact]
    public void Threshold_moves_large_tensors_into_an_aligned_data_file()
    {
        var path = SaveExternal("a");
        var dataPath = path + ".data";

        Assert.True(File.Exists(dataPath));
        Assert.True(new FileInfo(path).Length < 16 * 1024, $"model file is {new FileInfo(path).Length} bytes");
        var file = ModelFile.Load(path);
        var small = ExternalDataInfo.TryParse(Init(file, "small"), out _)!;
        var big = ExternalDataInfo.TryParse(Init(file, "big"), out _)!;
        Assert.Equal("model.onnx.data", small.Location);
        Assert.Equal("model.onnx.data", big.Location);
        Assert.Equal(0, small.Offset % 4096);
        Assert.Equal(0, big.Offset % 4096);
        Assert.Equal(SmallCount * 4L, small.Length);
        Assert.Equal(BigCount * 4L, big.Length);
        Assert.Equal(8192, big.Offset);
        Assert.Equal(8192 + (BigCount * 4L), new FileInfo(dataPath).Length);

        // Below the threshold stays inline.
        Assert.False(ExternalDataInfo.IsExternal(Init(file, "tiny")));
        Assert.True(Init(file, "tiny").HasRawData);
    }

    [Fact]
    public void External_tensors_reload_with_identical_bytes()
    {
        var file = ModelFile.Load(SaveExternal("a"));

        Assert.Equal(Bytes(BigValues()), TensorProtoConverter.ToTensorData(Init(file, "big"), file).Bytes);
        Assert.Equal(Bytes(SmallValues()), TensorProtoConverter.ToTensorData(Init(file, "small"), file).Bytes);
        var big = TensorProtoConverter.ToTensorData(Init(file, "big"), file);
        Assert.Equal(TensorElementType.Float, big.ElementType);
        Assert.Equal(new long[] { 512, 512 }, big.Shape);
    }

    [Fact]
    public void Saving_an_external_data_model_elsewhere_without_threshold_inlines_it()
    {
        var source = ModelFile.Load(SaveExternal("a"));
        var other = Path.Combine(_dir.Sub("b"), "model.onnx");

        ModelWriter.Save(source, other);

        Assert.False(File.Exists(other + ".data"));
        Assert.Equal(new[] { "model.onnx" }, Directory.GetFiles(Path.GetDirectoryName(other)!).Select(Path.GetFileName));
        var inlined = ModelFile.Load(other);
        Assert.All(inlined.Graph.Initializer, t => Assert.False(ExternalDataInfo.IsExternal(t)));
        Assert.Equal(Bytes(BigValues()), Init(inlined, "big").RawData.ToByteArray());
        Assert.Equal(Bytes(SmallValues()), Init(inlined, "small").RawData.ToByteArray());

        // Inlining gives back exactly the model that was externalized.
        Assert.Equal(WeightsModel(), inlined.Model);
    }

    [Fact]
    public void Saving_an_external_data_model_elsewhere_with_threshold_stands_on_its_own()
    {
        var first = SaveExternal("a");
        var other = Path.Combine(_dir.Sub("c"), "copy.onnx");

        ModelWriter.Save(ModelFile.Load(first), other, External);
        Directory.Delete(Path.GetDirectoryName(first)!, recursive: true);

        var copy = ModelFile.Load(other);
        Assert.Equal("copy.onnx.data", ExternalDataInfo.TryParse(Init(copy, "big"), out _)!.Location);
        Assert.Equal(Bytes(BigValues()), TensorProtoConverter.ToTensorData(Init(copy, "big"), copy).Bytes);
    }

    [Fact]
    public void Saving_over_its_own_files_keeps_the_data_readable()
    {
        var path = SaveExternal("a");
        ModelWriter.Save(ModelFile.Load(path), path, External with { Alignment = 64 });

        var file = ModelFile.Load(path);
        Assert.Equal(0, ExternalDataInfo.TryParse(Init(file, "big"), out _)!.Offset % 64);
        Assert.Equal(Bytes(BigValues()), TensorProtoConverter.ToTensorData(Init(file, "big"), file).Bytes);
        Assert.Equal(Bytes(SmallValues()), TensorProtoConverter.ToTensorData(Init(file, "small"), file).Bytes);
    }

    [Fact]
    public void Custom_data_file_name_is_used()
    {
        var path = Path.Combine(_dir.Sub("d"), "model.onnx");
        ModelWriter.Save(ModelFile.Load(WeightsModel().ToByteArray(), "weights.onnx"), path, External with { ExternalDataFileName = "weights.bin" });

        Assert.True(File.Exists(Path.Combine(_dir.Path, "d", "weights.bin")));
        var file = ModelFile.Load(path);
        Assert.Equal(Bytes(BigValues()), TensorProtoConverter.ToTensorData(Init(file, "big"), file).Bytes);
    }

    [Fact]
    public void Successful_save_leaves_no_temporary_files()
    {
        SaveExternal("a");
        var other = Path.Combine(_dir.Path, "a", "model.onnx");
        ModelWriter.Save(ModelFile.Load(other), other, External);
        ModelWriter.Save(ModelFile.Load(WeightsModel().ToByteArray(), "w.onnx"), Path.Combine(_dir.Path, "a", "inline.onnx"));

        Assert.Equal(new[] { "a/inline.onnx", "a/model.onnx", "a/model.onnx.data" }, _dir.AllFiles());
    }

    [Fact]
    public void Failed_save_keeps_the_existing_file_and_leaves_no_temporary_files()
    {
        var folder = _dir.Sub("e");
        var path = Path.Combine(folder, "model.onnx");
        File.WriteAllBytes(path, [1, 2, 3]);

        // The data file cannot replace a folder of the same name, so the write fails after its temporary file was written.
        Directory.CreateDirectory(Path.Combine(folder, "blocked"));
        var options = External with { ExternalDataFileName = "blocked" };
        var ex = Record.Exception(() => ModelWriter.Save(ModelFile.Load(WeightsModel().ToByteArray(), "w.onnx"), path, options));

        Assert.NotNull(ex);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Equal(new[] { "e/model.onnx" }, _dir.AllFiles());
    }

    [Fact]
    public void Save_never_modifies_the_source()
    {
        var sourcePath = SaveExternal("a");
        var source = ModelFile.Load(sourcePath);
        var before = source.Model.Clone();
        var modelBytes = File.ReadAllBytes(sourcePath);
        var dataBytes = File.ReadAllBytes(sourcePath + ".data");

        ModelWriter.Save(source, Path.Combine(_dir.Sub("b"), "inline.onnx"));
        ModelWriter.Save(source, Path.Combine(_dir.Sub("c"), "external.onnx"), External with { Alignment = 16 });

        Assert.Equal(before, source.Model);
        Assert.Equal(sourcePath, source.DisplayPath);
        Assert.Equal(modelBytes, File.ReadAllBytes(sourcePath));
        Assert.Equal(dataBytes, File.ReadAllBytes(sourcePath + ".data"));
    }

    [Fact]
    public void Save_of_an_inline_source_with_threshold_does_not_modify_it()
    {
        var source = ModelFile.Load(WeightsModel().ToByteArray(), "weights.onnx");
        var before = source.Model.ToByteArray();

        ModelWriter.Save(source, Path.Combine(_dir.Sub("f"), "model.onnx"), External);

        Assert.Equal(before, source.Model.ToByteArray());
        Assert.True(Init(source, "big").HasRawData);
    }

    [Fact]
    public void Threshold_also_moves_tensors_stored_in_typed_fields()
    {
        var typed = new TensorProto { Name = "w", DataType = (int)TensorElementType.Float };
        typed.Dims.Add(4096);
        typed.FloatData.AddRange(Enumerable.Range(0, 4096).Select(static i => (float)i));
        var path = Path.Combine(_dir.Sub("g"), "model.onnx");

        ModelWriter.Save(new ModelBuilder().Initializer(typed).ToFile(), path, External);

        var file = ModelFile.Load(path);
        var w = Init(file, "w");
        Assert.True(ExternalDataInfo.IsExternal(w));
        Assert.Empty(w.FloatData);
        Assert.Equal(Bytes(typed.FloatData.ToArray()), TensorProtoConverter.ToTensorData(w, file).Bytes);
    }
}
