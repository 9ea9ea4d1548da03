using BenchmarkDotNet.Attributes;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Benchmarks;

/// <summary>
/// Reading and writing a large model (generated once: a few hundred MB of float32 initializers in a
/// MatMul chain). Throughput = file size / mean time; see docs/performance.md.
/// </summary>
[MemoryDiagnoser]
public class ModelIoBenchmarks
{
    private string _dir = null!;
    private string _model = null!;
    private ModelFile _loaded = null!;

    /// <summary>Model size in MiB.</summary>
    [Params(320)]
    public int SizeMiB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "pg-bench-io-" + SizeMiB);
        _model = LargeModel.Ensure(_dir, SizeMiB);
        _loaded = ModelFile.Load(_model);
    }

    [Benchmark(Description = "Load")]
    public ModelFile Load() => ModelFile.Load(_model);

    [Benchmark(Description = "Save")]
    public void Save() => ModelWriter.Save(_loaded, Path.Combine(_dir, "saved.onnx"));

    [Benchmark(Description = "Save with external data")]
    public void SaveExternal() => ModelWriter.Save(_loaded, Path.Combine(_dir, "saved-ext.onnx"), new ModelSaveOptions { ExternalDataThreshold = 1024 });
}
