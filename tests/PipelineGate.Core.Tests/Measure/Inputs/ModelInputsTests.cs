using PipelineGate.Diagnostics;
using PipelineGate.Measure.Inputs;
using PipelineGate.Onnx.Proto;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using Xunit;

namespace PipelineGate.Tests.Measure.Inputs;

public sealed class ModelInputsTests : IDisposable
{
    private static readonly Dictionary<string, long> Batch3 = new(StringComparer.Ordinal) { ["batch"] = 3 };

    private readonly string _dir = Directory.CreateTempSubdirectory("pg-inputs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Random_inputs_follow_the_one_seed_in_input_order_with_free_dims_fixed()
    {
        using var session = TwoInputs();

        var data = ModelInputs.Random(session, Batch3);

        // One generator over both inputs: x takes the first twelve draws, y the next twelve.
        var rng = new Random(ModelInputs.RandomSeed);
        var x = RandomTensors.Create(TensorElementType.Float, [3, 4], rng);
        var y = RandomTensors.Create(TensorElementType.Float, [3, 4], rng);
        Assert.Equal([3L, 4L], data["x"].Shape);
        Assert.Equal(x.AsSpan<float>().ToArray(), data["x"].AsSpan<float>().ToArray());
        Assert.Equal(y.AsSpan<float>().ToArray(), data["y"].AsSpan<float>().ToArray());
    }

    [Fact]
    public void A_named_file_feeds_its_input_and_random_data_fills_the_rest_as_bench_would()
    {
        using var session = TwoInputs();
        var file = Path.Combine(_dir, "x.npy");
        float[] given = [1, 2, 3, 4];
        NpyFile.Write(file, TensorData.Create(given, 1, 4));

        var data = ModelInputs.Resolve(session, ["x=" + file], fillRandom: true, new Dictionary<string, long>());

        Assert.Equal(given, data["x"].AsSpan<float>().ToArray());
        var expected = RandomTensors.Create(TensorElementType.Float, [1, 4], new Random(ModelInputs.RandomSeed));
        Assert.Equal(expected.AsSpan<float>().ToArray(), data["y"].AsSpan<float>().ToArray());
    }

    [Fact]
    public void An_input_without_data_or_random_fill_is_PG2024_naming_it()
    {
        using var session = TwoInputs();
        var file = Path.Combine(_dir, "x.npy");
        NpyFile.Write(file, TensorData.Create(new float[4], 1, 4));

        var e = Assert.Throws<PipelineGateException>(() => ModelInputs.Resolve(session, ["x=" + file], fillRandom: false, Batch3));

        Assert.Equal(PgCode.DataMissingInput, e.Code);
        Assert.Contains("'y' (float32[batch,4])", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_naming_no_input_of_a_two_input_model_is_PG2024()
    {
        using var session = TwoInputs();

        var e = Assert.Throws<PipelineGateException>(() => ModelInputs.Resolve(session, ["z=whatever.npy"], fillRandom: true, Batch3));

        Assert.Equal(PgCode.DataMissingInput, e.Code);
        Assert.Contains("(x, y)", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    private static InferenceSession TwoInputs()
    {
        var graph = new GraphProto { Name = "add" };
        graph.Input.Add(TinyModels.Value("x", TensorElementType.Float, "batch", "4"));
        graph.Input.Add(TinyModels.Value("y", TensorElementType.Float, "batch", "4"));
        graph.Output.Add(TinyModels.Value("z", TensorElementType.Float, "batch", "4"));
        graph.Node.Add(TinyModels.Node("Add", ["x", "y"], ["z"]));
        return InferenceSession.Create(TinyModels.Model(graph), "add.onnx");
    }
}
