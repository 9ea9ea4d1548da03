using Google.Protobuf;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.Facts;

/// <summary>Model facts: parameters by type, nonzero counts, operator histogram, real inputs, metadata.</summary>
public sealed class ModelInspectorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Inputs x and an overridable initializer 'scale'; weights: W float[4,4] (half zeros), scale float[4],
    /// ids int64[3] (one zero), half float16[2] via int32_data, and a Constant float[2] inside an If branch.
    /// </summary>
    private static ModelBuilder Sample()
    {
        var w = Enumerable.Range(0, 16).Select(static i => i % 2 == 0 ? 0f : i).ToArray();
        var half = new TensorProto { Name = "half", DataType = (int)TensorElementType.Float16 };
        half.Dims.Add(2);
        half.Int32Data.AddRange([BitConverter.HalfToInt16Bits((Half)1.5f), 0]);

        var thenBranch = new GraphProto { Name = "then" };
        thenBranch.Node.Add(Nodes.Make("Constant", [], ["c"], "const", Attr.Tensor("value", TensorProtos.Floats("c", [2], 1f, 0f))));
        thenBranch.Output.Add(ModelBuilder.Value("c", TensorElementType.Float, 2));
        var elseBranch = new GraphProto { Name = "else" };
        elseBranch.Node.Add(Nodes.Make("Identity", ["x"], ["e"], "id"));
        elseBranch.Output.Add(ModelBuilder.Value("e", TensorElementType.Float, 2));

        return new ModelBuilder()
            .Input("x", TensorElementType.Float, "batch", 4)
            .Input("scale", TensorElementType.Float, 4)
            .Input("cond", TensorElementType.Bool)
            .Initializer(TensorProtos.Floats("W", [4, 4], w))
            .Initializer(TensorProtos.Floats("scale", [4], 1f, 1f, 1f, 1f))
            .Initializer(TensorProtos.Int64s("ids", [3], 0, 5, 9))
            .Initializer(half)
            .Node("MatMul", ["x", "W"], ["m"], "mm")
            .Node("Mul", ["m", "scale"], ["s"], "mul")
            .Node("Relu", ["s"], ["r1"], "relu1")
            .Node("Relu", ["r1"], ["r2"], "relu2")
            .Node("Relu", ["r2"], ["r3"], "relu3")
            .Node("Add", ["r3", "r1"], ["y"], "add")
            .Node("If", ["cond"], ["z"], "branch", Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch))
            .Configure(static m => m.Graph.Node.Add(new NodeProto { OpType = "FusedGelu", Domain = "com.microsoft", Name = "gelu", Input = { "y" }, Output = { "g" } }))
            .Opset("com.microsoft", 1)
            .Output("g", TensorElementType.Float, "batch", 4)
            .Output("z", TensorElementType.Float, 2)
            .Configure(static m =>
            {
                m.ProducerName = "exporter";
                m.ProducerVersion = "2.1";
                m.MetadataProps.Add(new StringStringEntryProto { Key = "k", Value = "first" });
                m.MetadataProps.Add(new StringStringEntryProto { Key = "k", Value = "second" });
                m.MetadataProps.Add(new StringStringEntryProto { Key = "task", Value = "demo" });
            });
    }

    [Fact]
    public void Parameters_are_counted_over_every_tensor_including_subgraph_constants()
    {
        var facts = ModelInspector.Inspect(Sample().ToFile("sample.onnx"));
        Assert.Equal(16 + 4 + 3 + 2 + 2, facts.ParameterCount);
        Assert.Equal((16 * 4) + (4 * 4) + (3 * 8) + (2 * 2) + (2 * 4), facts.ParameterBytes);
    }

    [Fact]
    public void Parameters_are_grouped_by_type_in_name_order()
    {
        var facts = ModelInspector.Inspect(Sample().ToFile("sample.onnx"));
        Assert.Equal(
            new[]
            {
                new DtypeFact("float16", 2, 4),
                new DtypeFact("float32", 22, 88),
                new DtypeFact("int64", 3, 24),
            },
            facts.ParametersByType);
        Assert.Equal(facts.ParameterBytes, facts.ParametersByType.Sum(static d => d.Bytes));
    }

    [Fact]
    public void Nonzero_parameters_skip_zero_elements_of_every_storage_form()
    {
        var facts = ModelInspector.Inspect(Sample().ToFile("sample.onnx"));

        // W: 8 nonzero of 16; scale: 4; ids: 2 of 3; half: 1 of 2 (typed field); constant: 1 of 2.
        Assert.Equal(8 + 4 + 2 + 1 + 1, facts.NonzeroParameterCount);
        Assert.Null(ModelInspector.Inspect(Sample().ToFile("sample.onnx"), countNonzero: false).NonzeroParameterCount);
    }

    [Fact]
    public void Operator_histogram_is_most_frequent_first_then_by_name()
    {
        var facts = ModelInspector.Inspect(Sample().ToFile("sample.onnx"));
        Assert.Equal(
            new[]
            {
                new OpCountFact("Relu", 3),
                new OpCountFact("Add", 1),
                new OpCountFact("Constant", 1),
                new OpCountFact("Identity", 1),
                new OpCountFact("If", 1),
                new OpCountFact("MatMul", 1),
                new OpCountFact("Mul", 1),
                new OpCountFact("com.microsoft:FusedGelu", 1),
            },
            facts.Operators);
        Assert.Equal(10, facts.NodeCount);
    }

    [Fact]
    public void Inputs_exclude_initializers()
    {
        var facts = ModelInspector.Inspect(Sample().ToFile("sample.onnx"));
        Assert.Equal(new[] { "x", "cond" }, facts.Inputs.Select(static i => i.Name));
        var x = facts.Inputs[0];
        Assert.Equal("float32", x.ElementType);
        Assert.Equal(new[] { "batch", "4" }, x.Shape);
        Assert.Empty(facts.Inputs[1].Shape);
        Assert.Equal(new[] { "g", "z" }, facts.Outputs.Select(static o => o.Name));
    }

    [Fact]
    public void Header_facts_come_from_the_model()
    {
        var facts = ModelInspector.Inspect(Sample().ToFile("models/sample.onnx"));
        Assert.Equal("pipelinegate/inspect/v1", facts.Schema);
        Assert.Equal("models/sample.onnx", facts.Path);
        Assert.Equal(9, facts.IrVersion);
        Assert.Equal("exporter", facts.ProducerName);
        Assert.Equal("2.1", facts.ProducerVersion);
        Assert.Equal(new[] { new OpsetFact("ai.onnx", 17), new OpsetFact("com.microsoft", 1) }, facts.Opsets);
        Assert.Equal("second", facts.Metadata["k"]);
        Assert.Equal("demo", facts.Metadata["task"]);
        Assert.Equal(Sample().ToBytes().Length, facts.FileBytes);
        Assert.Equal(0, facts.ExternalDataBytes);
    }

    [Fact]
    public void Compute_estimate_uses_the_main_graph_and_its_assumptions()
    {
        var facts = ModelInspector.Inspect(Sample().ToFile("sample.onnx"));
        Assert.Equal(4 * 4, facts.Compute.Macs);
        Assert.Equal(new[] { "batch" }, facts.Compute.AssumedSymbolicDims);
    }

    [Fact]
    public void Non_tensor_values_are_described_by_their_kind()
    {
        var seq = new ValueInfoProto
        {
            Name = "seq",
            Type = new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = ModelBuilder.Value("e", TensorElementType.Float).Type } },
        };
        var fact = ModelInspector.Describe(seq);
        Assert.Equal("seq", fact.Name);
        Assert.Equal("SequenceType", fact.ElementType);
        Assert.Empty(fact.Shape);

        var noShape = new ValueInfoProto { Name = "n", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorElementType.Int8 } } };
        Assert.Equal(new[] { "?" }, ModelInspector.Describe(noShape).Shape);
        Assert.Equal(new[] { "?", "n" }, ModelInspector.Describe(ModelBuilder.Value("u", TensorElementType.Float, null, "n")).Shape);
    }

    [Fact]
    public void External_data_bytes_count_each_data_file_once()
    {
        var path = _dir.File("model.onnx");
        var source = new ModelBuilder()
            .Input("x", TensorElementType.Float, 1, 1024)
            .Initializer("A", [1024, 2])
            .Initializer("B", [1024, 2], fill: 0f)
            .Node("MatMul", ["x", "A"], ["a"])
            .Node("MatMul", ["x", "B"], ["b"])
            .Output("a", TensorElementType.Float, 1, 2)
            .Output("b", TensorElementType.Float, 1, 2);
        ModelWriter.Save(source.ToFile(), path, new ModelSaveOptions { ExternalDataThreshold = 1024 });

        var facts = ModelInspector.Inspect(ModelFile.Load(path));
        Assert.Equal(new FileInfo(path + ".data").Length, facts.ExternalDataBytes);
        Assert.Equal(new FileInfo(path).Length, facts.FileBytes);
        Assert.Equal(4096, facts.ParameterCount);
        Assert.Equal(2048, facts.NonzeroParameterCount);
    }
}
