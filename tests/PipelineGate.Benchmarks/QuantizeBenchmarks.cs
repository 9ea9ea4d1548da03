using BenchmarkDotNet.Attributes;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Optimize.Quantization;

namespace PipelineGate.Benchmarks;

/// <summary>
/// Speed of the quantizer itself on a large model (320 MiB of float32 MatMul weights, already in
/// memory): weight throughput = 320 MiB / mean time. Goal ≥ 200 MB/s.
/// </summary>
[MemoryDiagnoser]
public class QuantizeBenchmarks
{
    private static readonly SourceLocation Here = new("benchmark", 1, 1);
    private ModelFile _model = null!;

    [Params("dynamic", "int4", "fp16")]
    public string Mode { get; set; } = "dynamic";

    [GlobalSetup]
    public void Setup() => _model = ModelFile.Load(LargeModel.Ensure(Path.Combine(Path.GetTempPath(), "pg-bench-io-320"), 320));

    [Benchmark(Description = "Quantize 320 MiB of weights")]
    public ModelFile Quantize() =>
        new QuantizeStep().Apply(_model, new RecipeStep("quantize", new Dictionary<string, string> { ["mode"] = Mode }, Here), new OptimizationContext(".", null)).Model;
}
