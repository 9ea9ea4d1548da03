using PipelineGate.Diagnostics;
using PipelineGate.Measure.Inputs;
using PipelineGate.Onnx.Proto;
using PipelineGate.Runtime;
using PipelineGate.Tensors;
using PipelineGate.TestAssets.Models;
using Xunit;

namespace PipelineGate.Tests.Hardening;

/// <summary>PG2061: random inputs are sized (all inputs together) before any is allocated, against 2 GiB.</summary>
public sealed class RandomInputBoundTests
{
    [Fact]
    public void A_declared_10_to_the_12_element_input_is_PG2061_naming_it()
    {
        using var session = InferenceSession.Create(TinyModels.Identity(TensorElementType.Float, "1000000", "1000000"), "huge.onnx");

        var ex = Assert.Throws<PipelineGateException>(() => ModelInputs.Random(session, new Dictionary<string, long>()));

        Assert.Equal(PgCode.RandomInputsTooLarge, ex.Code);
        Assert.Equal("huge.onnx", ex.Diagnostic.File);
        Assert.Contains("'x' float32[1000000,1000000] = 3.638E+0 TiB", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("--dim", ex.Diagnostic.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Symbolic_dims_sized_10_to_the_12_are_PG2061_not_an_overflow()
    {
        using var session = InferenceSession.Create(TinyModels.Identity(TensorElementType.Float, "batch", "width"), "sym.onnx");
        var dims = new Dictionary<string, long>(StringComparer.Ordinal) { ["batch"] = 1_000_000_000_000, ["width"] = 1_000_000_000_000 };

        var ex = Assert.Throws<PipelineGateException>(() => ModelInputs.Random(session, dims));

        Assert.Equal(PgCode.RandomInputsTooLarge, ex.Code);
    }

    [Fact]
    public void The_bound_is_over_all_inputs_together()
    {
        // Two float inputs of 1.5 GiB each: each under 2 GiB, together over it.
        using var session = TwoInputs("402653184");

        var ex = Assert.Throws<PipelineGateException>(() => ModelInputs.Random(session, new Dictionary<string, long>()));

        Assert.Equal(PgCode.RandomInputsTooLarge, ex.Code);
        Assert.Contains("3 GiB", ex.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains("'x' float32[402653184] = 1.5 GiB, 'y' float32[402653184] = 1.5 GiB", ex.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inputs_given_as_data_do_not_count()
    {
        var graph = new GraphProto { Name = "two" };
        graph.Input.Add(TinyModels.Value("x", TensorElementType.Float, "1000000", "1000000"));
        graph.Input.Add(TinyModels.Value("y", TensorElementType.Float, "2"));
        graph.Output.Add(TinyModels.Value("a", TensorElementType.Float, "1000000", "1000000"));
        graph.Output.Add(TinyModels.Value("b", TensorElementType.Float, "2"));
        graph.Node.Add(TinyModels.Node("Identity", ["x"], ["a"], "ia"));
        graph.Node.Add(TinyModels.Node("Identity", ["y"], ["b"], "ib"));
        using var session = InferenceSession.Create(TinyModels.Model(graph), "two.onnx");
        var given = new Dictionary<string, TensorData>(StringComparer.Ordinal) { ["x"] = TensorData.Create(new float[1], 1, 1) };

        var random = ModelInputs.Random(session, new Dictionary<string, long>(), given);

        Assert.Equal(["y"], random.Keys);
        Assert.Equal(PgCode.RandomInputsTooLarge, Assert.Throws<PipelineGateException>(() => ModelInputs.Random(session, new Dictionary<string, long>())).Code);
    }

    [Theory]
    [InlineData(536870912L, false)] // float32[2^29] = exactly 2 GiB
    [InlineData(536870913L, true)]
    [InlineData(long.MaxValue, true)]
    public void The_limit_is_2_GiB_inclusive(long elements, bool refused)
    {
        using var session = InferenceSession.Create(TinyModels.Identity(TensorElementType.Float, "n"), "one.onnx");

        var check = () => RandomInputBound.Check("one.onnx", [(session.Inputs[0], [elements])]);

        if (refused)
        {
            Assert.Equal(PgCode.RandomInputsTooLarge, Assert.Throws<PipelineGateException>(check).Code);
        }
        else
        {
            check();
        }
    }

    private static InferenceSession TwoInputs(string size)
    {
        var graph = new GraphProto { Name = "add" };
        graph.Input.Add(TinyModels.Value("x", TensorElementType.Float, size));
        graph.Input.Add(TinyModels.Value("y", TensorElementType.Float, size));
        graph.Output.Add(TinyModels.Value("z", TensorElementType.Float, size));
        graph.Node.Add(TinyModels.Node("Add", ["x", "y"], ["z"]));
        return InferenceSession.Create(TinyModels.Model(graph), "two.onnx");
    }
}
