using BenchmarkDotNet.Attributes;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;

namespace PipelineGate.Benchmarks;

/// <summary>
/// Per-Run cost of PipelineGate's runtime layer (official managed API, IoBinding) against a C caller of the
/// same library, each with its own session of the same model, options and inputs, outputs preallocated.
/// "tiny" is a 1×16 Relu (the call itself dominates); "large" a 384×384 MatMul chain (compute dominates).
/// </summary>
[MemoryDiagnoser]
public class RunOverheadBenchmarks
{
    private const int Loop = 200;
    private InferenceSession _session = null!;
    private PreparedRun _prepared = null!;
    private NativeRunLoop _c = null!;

    [Params("tiny", "large")]
    public string Model { get; set; } = "tiny";

    [GlobalSetup]
    public void Setup()
    {
        var (bytes, input) = Model == "tiny"
            ? (TinyModels.Single("Relu", TensorElementType.Float, ["1", "16"], []), RandomTensors.Create(TensorElementType.Float, [1, 16], new Random(1)))
            : (TinyModels.MatMulChain(384, 8), RandomTensors.Create(TensorElementType.Float, [384, 384], new Random(1)));
        _session = InferenceSession.Create(bytes, Model);
        _prepared = _session.Prepare(new Dictionary<string, TensorData> { ["x"] = input });
        if (!NativeRunLoop.Available)
        {
            throw new InvalidOperationException("libpgortloop.so was not built (gcc missing?): the C baseline is unavailable.");
        }

        _c = new NativeRunLoop(bytes, input, "x", _prepared.Output(0).Shape.ToArray(), _prepared.OutputNames[0]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _c.Dispose();
        _prepared.Dispose();
        _session.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Loop, Description = "C caller")]
    public void C() => _c.Run(Loop);

    [Benchmark(OperationsPerInvoke = Loop, Description = "PipelineGate C#")]
    public void CSharp()
    {
        for (var i = 0; i < Loop; i++)
        {
            _prepared.Run();
        }
    }
}
