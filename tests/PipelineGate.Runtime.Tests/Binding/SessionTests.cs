using System.Text.Json;
using PipelineGate.Diagnostics;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using Xunit;

namespace PipelineGate.Runtime.Tests.Binding;

public sealed class SessionTests
{
    private static readonly byte[] AddBias = TinyModels.AddBias(4, 0.5f);

    private static Dictionary<string, TensorData> Batch(int rows) =>
        new() { ["x"] = TensorData.Create(Enumerable.Range(0, rows * 4).Select(static i => (float)i).ToArray(), rows, 4) };

    [Fact]
    public void Metadata_reports_names_types_and_symbolic_dims()
    {
        using var session = InferenceSession.Create(AddBias, "add");

        var input = Assert.Single(session.Inputs);
        Assert.Equal("x", input.Name);
        Assert.Equal(TensorElementType.Float, input.ElementType);
        Assert.Equal([-1L, 4L], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal("y", Assert.Single(session.Outputs).Name);
    }

    [Fact]
    public void Free_dimension_override_fixes_the_dimension()
    {
        using var session = InferenceSession.Create(AddBias, "add", SessionConfig.Default with { FreeDimensions = new Dictionary<string, long> { ["batch"] = 2 } });

        Assert.Equal([2L, 4L], session.Inputs[0].Dimensions);
        Assert.Equal(2, session.Run(Batch(2))["y"].Shape[0]);
    }

    [Fact]
    public void Run_computes_the_model()
    {
        using var session = InferenceSession.Create(AddBias, "add");

        var y = session.Run(Batch(3))["y"].AsSpan<float>().ToArray();

        Assert.Equal(Enumerable.Range(0, 12).Select(static i => i + 0.5f), y);
    }

    [Fact]
    public void Prepared_run_with_preallocated_outputs_gives_the_same_result_every_time()
    {
        using var session = InferenceSession.Create(AddBias, "add");
        using var prepared = session.Prepare(Batch(3));

        Assert.True(prepared.OutputsPreallocated);
        prepared.Run();
        prepared.Run();

        Assert.Equal(session.Run(Batch(3))["y"].Bytes, prepared.ReadOutputs()["y"].Bytes);
    }

    [Fact]
    public void Prepared_run_without_preallocation_adopts_ort_outputs()
    {
        using var session = InferenceSession.Create(AddBias, "add");
        using var prepared = session.Prepare(Batch(2), preallocateOutputs: false);

        prepared.Run();
        prepared.Run();

        Assert.False(prepared.OutputsPreallocated);
        Assert.Equal(session.Run(Batch(2))["y"].Bytes, prepared.ReadOutputs()["y"].Bytes);
    }

    [Fact]
    public void IoBinding_gives_the_same_result_as_run()
    {
        using var session = InferenceSession.Create(AddBias, "add");
        using var bound = session.Bind(Batch(5));

        bound.Run();

        Assert.Equal(session.Run(Batch(5))["y"].Bytes, bound.ReadOutputs()["y"].Bytes);
    }

    [Fact]
    public void Concurrent_runs_on_one_session_are_correct()
    {
        using var session = InferenceSession.Create(TinyModels.MatMulChain(32, 4), "chain");
        var input = new Dictionary<string, TensorData> { ["x"] = RandomTensors.Create(TensorElementType.Float, [32, 32], new Random(3)) };
        var expected = session.Run(input)["y"].Bytes;

        var results = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(4).Select(_ => session.Run(input)["y"].Bytes).ToArray();

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Profiling_writes_a_json_trace()
    {
        var prefix = Path.Combine(Path.GetTempPath(), "pg-profile-" + Guid.NewGuid().ToString("N"));
        using var session = InferenceSession.Create(AddBias, "add", SessionConfig.Default with { ProfilingPrefix = prefix });
        session.Run(Batch(1));

        var file = session.EndProfiling();

        Assert.True(File.Exists(file), file);
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        File.Delete(file);
    }

    [Fact]
    public void Wrong_input_type_is_PG2023()
    {
        using var session = InferenceSession.Create(AddBias, "add");
        var ex = Assert.Throws<PipelineGateException>(() => session.Run(new Dictionary<string, TensorData> { ["x"] = TensorData.Create(new double[4], 1, 4) }));
        Assert.Equal(PgCode.DataTypeMismatch, ex.Code);
    }

    [Fact]
    public void Wrong_input_shape_is_PG2022()
    {
        using var session = InferenceSession.Create(AddBias, "add");
        var ex = Assert.Throws<PipelineGateException>(() => session.Run(new Dictionary<string, TensorData> { ["x"] = TensorData.Create(new float[5], 1, 5) }));
        Assert.Equal(PgCode.DataShapeMismatch, ex.Code);
        Assert.Contains("[batch,4]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_and_unknown_inputs_are_PG2024()
    {
        using var session = InferenceSession.Create(AddBias, "add");
        Assert.Equal(PgCode.DataMissingInput, Assert.Throws<PipelineGateException>(() => session.Run(new Dictionary<string, TensorData>())).Code);
        var unknown = Assert.Throws<PipelineGateException>(() => session.Run(new Dictionary<string, TensorData>(Batch(1)) { ["z"] = TensorData.Create(new float[1], 1) }));
        Assert.Equal(PgCode.DataMissingInput, unknown.Code);
        Assert.Contains("'z'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_model_bytes_are_PG3004()
    {
        var ex = Assert.Throws<OrtException>(() => InferenceSession.Create(new byte[] { 1, 2, 3, 4 }, "garbage.onnx"));
        Assert.Equal(PgCode.SessionCreateFailed, ex.Code);
        Assert.Equal("garbage.onnx", ex.Diagnostic.File);
    }
}
