using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Runtime;
using PipelineGate.TestAssets;
using Xunit;

namespace PipelineGate.Tests.Hardening;

/// <summary>
/// PG2062 against the real ONNX Runtime. The fuzz harness's open hang (seed 4, input 6447: the backend test
/// <c>test_reshape_reduced_dims</c> with its <c>shape</c> input declared <c>int64[9223372036854775807]</c>) never
/// finished ORT's session creation: ONNX shape inference adds one output dimension per declared element of a
/// Reshape/Expand/ConstantOfShape shape operand. The reader now refuses such a model, coded, before ORT sees it.
/// </summary>
public sealed class ShapeOperandBoundTests : IDisposable
{
    /// <summary>The mutant itself, as <c>fuzz-one 4 6447</c> writes it (171 bytes).</summary>
    public static readonly string Mutant = Path.Combine(RepoPaths.Root, "tests", "PipelineGate.Core.Tests", "Hardening", "Data", "fuzz-seed4-6447.onnx");

    private readonly string _dir = Directory.CreateTempSubdirectory("pg-shape-operand-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_fuzz_hang_mutant_is_PG2062_when_read()
    {
        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(Mutant));

        Assert.Equal(PgCode.ShapeOperandTooLong, ex.Code);
        Assert.Contains("'shape' (input 1 of Reshape node", ex.Message, StringComparison.Ordinal);
        Assert.Contains("9223372036854775807 elements", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at most 1024", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.Diagnostic.Hint);
    }

    [Fact]
    public void The_second_fuzz_hang_mutant_a_Resize_with_sizes_declared_2_to_the_40_is_PG2062()
    {
        // Seed 4, input 7818: test_resize_upsample_sizes_cubic with 'sizes' declared int64[1099511627776]; it hung in the
        // rerun after the Reshape fix (ORT's session creation for it does not finish either).
        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(Path.Combine(Path.GetDirectoryName(Mutant)!, "fuzz-seed4-7818.onnx")));

        Assert.Equal(PgCode.ShapeOperandTooLong, ex.Code);
        Assert.Contains("'sizes' (input 3 of Resize node", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1099511627776 elements", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Resize", 3, 13)]
    [InlineData("AffineGrid", 1, 20)]
    [InlineData("Col2Im", 1, 18)]
    [InlineData("Col2Im", 2, 18)]
    public void Other_operands_whose_length_ONNX_inference_walks_are_bounded_too(string op, int index, long opset)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Mutant));
        model.OpsetImport[0].Version = opset;
        var n = model.Graph.Node[0];
        n.OpType = op;
        n.Input.Clear();
        for (var k = 0; k <= Math.Max(index, op == "Col2Im" ? 2 : 1); k++)
        {
            n.Input.Add(k == 0 ? "data" : k == index ? "shape" : op == "Col2Im" ? "data" : "");
        }

        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(model.ToByteArray(), "op.onnx"));

        Assert.Equal(PgCode.ShapeOperandTooLong, ex.Code);
        Assert.Contains($"'shape' (input {index} of {op} node", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_refuses_the_mutant_by_path_before_ONNX_Runtime_is_called()
    {
        var ex = Assert.Throws<PipelineGateException>(() => InferenceSession.Create(Mutant));

        Assert.Equal(PgCode.ShapeOperandTooLong, ex.Code);
    }

    [Fact]
    public void The_seed_of_the_mutant_still_loads_and_runs()
    {
        var path = Write(Variant("Reshape", 2));

        using var session = InferenceSession.Create(path);
        var outputs = session.Run(new Dictionary<string, PipelineGate.Tensors.TensorData>(StringComparer.Ordinal)
        {
            ["data"] = PipelineGate.Tensors.TensorData.Create(new float[24], 2, 3, 4),
            ["shape"] = PipelineGate.Tensors.TensorData.Create(new long[] { 2, 12 }, 2),
        });

        Assert.Equal([2L, 12L], outputs["reshaped"].Shape.ToArray());
    }

    [Theory]
    [InlineData("Reshape", 1024L, true)]
    [InlineData("Reshape", 1025L, false)]
    [InlineData("Reshape", long.MaxValue, false)]
    [InlineData("Expand", 3L, true)]
    [InlineData("Expand", 1L << 40, false)]
    [InlineData("ConstantOfShape", 4L, true)]
    [InlineData("ConstantOfShape", 1L << 40, false)]
    public void Shape_operands_up_to_1024_elements_load_in_PipelineGate_and_ONNX_Runtime(string op, long length, bool accepted)
    {
        var path = Write(Variant(op, length));
        PipelineGateException? refused = null;
        try
        {
            _ = ModelFile.Load(path);
        }
        catch (PipelineGateException ex)
        {
            refused = ex;
        }

        Assert.Equal(accepted, refused is null);
        if (accepted)
        {
            // What PipelineGate accepts, ORT creates a session for (the refused lengths are the ones it does not finish).
            using var session = InferenceSession.Create(path);
            Assert.Contains(session.Inputs, i => i.Name == "shape");
        }
        else
        {
            Assert.Equal(PgCode.ShapeOperandTooLong, refused!.Code);
            Assert.Contains($"input {(op == "ConstantOfShape" ? 0 : 1)} of {op} node", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_symbolic_length_is_accepted()
    {
        var model = ModelProto.Parser.ParseFrom(Variant("Reshape", 2));
        model.Graph.Input[1].Type.TensorType.Shape.Dim[0].DimParam = "rank";

        _ = ModelFile.Load(model.ToByteArray(), "symbolic.onnx");
    }

    [Fact]
    public void A_long_declaration_in_value_info_is_refused_too()
    {
        var model = ModelProto.Parser.ParseFrom(Variant("Reshape", 2));
        var shape = model.Graph.Input[1];
        model.Graph.Input.RemoveAt(1);
        model.Graph.Input.Add(new ValueInfoProto { Name = "s0", Type = shape.Type.Clone() });
        model.Graph.Node.Insert(0, new NodeProto { OpType = "Identity", Input = { "s0" }, Output = { "shape" } });
        var declared = shape.Clone();
        declared.Type.TensorType.Shape.Dim[0].DimValue = 1L << 40;
        model.Graph.ValueInfo.Add(declared);

        var ex = Assert.Throws<PipelineGateException>(() => ModelFile.Load(model.ToByteArray(), "value-info.onnx"));

        Assert.Equal(PgCode.ShapeOperandTooLong, ex.Code);
    }

    // The mutant's graph with its op (and, for ConstantOfShape, its one input) changed and the shape operand's declared length set.
    private static byte[] Variant(string op, long length)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Mutant));
        var g = model.Graph;
        g.Input[1].Type.TensorType.Shape.Dim[0].DimValue = length;
        g.Node[0].OpType = op;
        g.Output[0].Type.TensorType.Shape = null;
        if (op == "ConstantOfShape")
        {
            g.Node[0].Input.Clear();
            g.Node[0].Input.Add("shape");
            g.Input.RemoveAt(0);
        }

        if (op == "Expand")
        {
            g.Input[0].Type.TensorType.Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimValue = 1 } } };
        }

        return model.ToByteArray();
    }

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(_dir, $"m-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
