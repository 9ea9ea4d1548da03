using Google.Protobuf;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Onnx.Tests.Support;
using PipelineGate.Onnx.Validation;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.Validation;

/// <summary>Structural checks report coded diagnostics naming the model file.</summary>
public sealed class ModelValidatorTests
{
    private const string DisplayPath = "models/net.onnx";

    private static IReadOnlyList<Diagnostic> Validate(ModelBuilder builder) => ModelValidator.Validate(builder.ToFile(DisplayPath));

    private static Diagnostic Single(IReadOnlyList<Diagnostic> diagnostics, PgCode code)
    {
        var errors = diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error).ToArray();
        var d = Assert.Single(errors);
        Assert.Equal(code, d.Code);
        Assert.Equal(DisplayPath, d.File);
        Assert.StartsWith(DisplayPath + ": error PG" + ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture), d.ToString(), StringComparison.Ordinal);
        return d;
    }

    /// <summary>Exactly one finding, of this code and severity, and no error: a model ONNX Runtime loads is not refused.</summary>
    private static Diagnostic Notice(IReadOnlyList<Diagnostic> diagnostics, PgCode code, DiagnosticSeverity severity)
    {
        var d = Assert.Single(diagnostics);
        Assert.Equal(code, d.Code);
        Assert.Equal(severity, d.Severity);
        Assert.Equal(DisplayPath, d.File);
        return d;
    }

    [Fact]
    public void Valid_model_has_no_diagnostics()
    {
        Assert.Empty(Validate(Models.AddRelu()));
    }

    [Fact]
    public void Input_that_nothing_defines_is_DanglingInput()
    {
        var d = Single(Validate(Models.AddRelu().Node("Mul", ["y", "ghost"], ["z"], "mul").Output("z")), PgCode.DanglingInput);
        Assert.Equal(2010, (int)d.Code);
        Assert.Contains("'ghost'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_nodes_producing_the_same_output_is_DuplicateName()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Node("Relu", ["x"], ["y"], "first")
            .Node("Sigmoid", ["x"], ["y"], "second")
            .Output("y", TensorElementType.Float, 4);
        var d = Single(Validate(builder), PgCode.DuplicateName);
        Assert.Equal(2011, (int)d.Code);
        Assert.Contains("'y'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_output_shadowing_a_graph_input_is_DuplicateName()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Node("Relu", ["x"], ["x"], "relu")
            .Output("x", TensorElementType.Float, 4);
        Single(Validate(builder), PgCode.DuplicateName);
    }

    [Fact]
    public void Duplicate_initializer_is_DuplicateName()
    {
        var builder = Models.AddRelu().Initializer(TensorProtos.Floats("b", [4], 0f, 0f, 0f, 0f));
        var diagnostics = Validate(builder);
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, static d => Assert.Equal(PgCode.DuplicateName, d.Code));
        Assert.All(diagnostics, static d => Assert.Equal(DisplayPath, d.File));
    }

    [Fact]
    public void Duplicate_initializer_is_one_warning_as_ORT_uses_the_last()
    {
        var builder = Models.AddRelu().Initializer(TensorProtos.Floats("b", [4], 0f, 0f, 0f, 0f));
        var d = Notice(Validate(builder), PgCode.DuplicateName, DiagnosticSeverity.Warning);
        Assert.Contains("last", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_using_a_later_output_is_an_info_NotTopologicallySorted_not_an_error()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Node("Relu", ["a"], ["y"], "second")
            .Node("Neg", ["x"], ["a"], "first")
            .Output("y", TensorElementType.Float, 4);
        var d = Notice(Validate(builder), PgCode.NotTopologicallySorted, DiagnosticSeverity.Info);
        Assert.Equal(2012, (int)d.Code);
        Assert.Contains("'second'", d.Message, StringComparison.Ordinal);
        Assert.Contains("1 input(s)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Many_out_of_order_nodes_give_one_notice_with_their_count()
    {
        var builder = new ModelBuilder().Input("x", TensorElementType.Float, 4);
        for (var i = 5; i >= 1; i--)
        {
            builder.Node("Relu", [$"h{i - 1}"], [$"h{i}"], $"relu{i}");
        }

        builder.Node("Neg", ["x"], ["h0"], "neg").Output("h5", TensorElementType.Float, 4);
        var d = Notice(Validate(builder), PgCode.NotTopologicallySorted, DiagnosticSeverity.Info);
        Assert.Contains("5 input(s)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subgraph_nodes_out_of_order_are_an_error_as_ORT_refuses_them()
    {
        var builder = Models.If(Nodes.Make("Neg", ["s"], ["y_then"], "then_neg"), Nodes.Make("Relu", ["x"], ["s"], "then_relu"));
        var d = Single(Validate(builder), PgCode.NotTopologicallySorted);
        Assert.Contains("'then_neg'", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4294967296L, 4294967296L)]
    [InlineData(1048576L, 2097152L)]
    public void An_initializer_whose_dims_overflow_or_exceed_the_bound_is_TensorTooLarge_before_any_allocation(long d0, long d1)
    {
        var huge = TensorProtos.Raw("w", TensorElementType.Float, [d0, d1], new byte[16]);
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Initializer(huge)
            .Node("Add", ["x", "w"], ["y"])
            .Output("y", TensorElementType.Float, 4);
        var d = Single(Validate(builder), PgCode.TensorTooLarge);
        Assert.Equal(2018, (int)d.Code);
        Assert.Contains("'w'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_in_a_cycle_are_GraphCycle()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Node("Add", ["x", "b"], ["a"], "a")
            .Node("Relu", ["a"], ["b"], "b")
            .Output("b", TensorElementType.Float, 4);
        var d = Single(Validate(builder), PgCode.GraphCycle);
        Assert.Equal(2017, (int)d.Code);
        Assert.Contains("'a', 'b'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Initializer_type_differing_from_its_declared_input_is_InitializerTypeMismatch()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Input("b", TensorElementType.Float, 4)
            .Initializer(TensorProtos.Int64s("b", [4], 1, 2, 3, 4))
            .Node("Add", ["x", "b"], ["y"])
            .Output("y", TensorElementType.Float, 4);
        var d = Single(Validate(builder), PgCode.InitializerTypeMismatch);
        Assert.Equal(2013, (int)d.Code);
        Assert.Contains("float32", d.Message, StringComparison.Ordinal);
        Assert.Contains("int64", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Initializer_shape_differing_from_its_declared_input_is_InitializerTypeMismatch()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Input("b", TensorElementType.Float, 2, 2)
            .Initializer(TensorProtos.Floats("b", [4], 1, 2, 3, 4))
            .Node("Add", ["x", "b"], ["y"])
            .Output("y", TensorElementType.Float, 4);
        Single(Validate(builder), PgCode.InitializerTypeMismatch);
    }

    [Fact]
    public void Initializer_matching_a_symbolic_input_shape_is_accepted()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Input("b", TensorElementType.Float, "n")
            .Initializer(TensorProtos.Floats("b", [4], 1, 2, 3, 4))
            .Node("Add", ["x", "b"], ["y"])
            .Output("y", TensorElementType.Float, 4);
        Assert.Empty(Validate(builder));
    }

    [Fact]
    public void Missing_default_opset_import_is_OpsetImportInvalid()
    {
        var builder = Models.AddRelu().Configure(static m =>
        {
            m.OpsetImport.Clear();
            m.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        });
        var d = Notice(Validate(builder), PgCode.OpsetImportInvalid, DiagnosticSeverity.Warning);
        Assert.Equal(2009, (int)d.Code);
    }

    [Fact]
    public void Default_domain_spelled_ai_onnx_counts_as_imported()
    {
        var builder = Models.AddRelu().Configure(static m =>
        {
            m.OpsetImport.Clear();
            m.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx", Version = 17 });
        });
        Assert.Empty(Validate(builder));
    }

    [Fact]
    public void Domain_imported_twice_is_OpsetImportInvalid()
    {
        Notice(Validate(Models.AddRelu().Opset("ai.onnx", 17)), PgCode.OpsetImportInvalid, DiagnosticSeverity.Warning);
    }

    [Fact]
    public void Ir_version_2_is_UnsupportedIrVersion()
    {
        var d = Notice(Validate(Models.AddRelu().Configure(static m => m.IrVersion = 2)), PgCode.UnsupportedIrVersion, DiagnosticSeverity.Warning);
        Assert.Equal(2008, (int)d.Code);
        Assert.Contains("2", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Newer_ir_version_than_known_is_only_a_warning()
    {
        var diagnostics = Validate(Models.AddRelu().Configure(static m => m.IrVersion = ModelValidator.MaxIrVersion + 1));
        var d = Assert.Single(diagnostics);
        Assert.Equal(PgCode.UnsupportedIrVersion, d.Code);
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
    }

    [Fact]
    public void Graph_output_nothing_produces_is_GraphInvalid()
    {
        var d = Single(Validate(Models.AddRelu().Output("missing")), PgCode.GraphInvalid);
        Assert.Equal(2016, (int)d.Code);
        Assert.Contains("'missing'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_without_outputs_is_GraphInvalid()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Node("Relu", ["x"], ["y"]);
        Notice(Validate(builder), PgCode.GraphInvalid, DiagnosticSeverity.Warning);
    }

    [Fact]
    public void Raw_data_length_not_matching_the_shape_is_TensorDataLengthMismatch()
    {
        var bad = TensorProtos.Raw("b", TensorElementType.Float, [4], new byte[12]);
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Initializer(bad)
            .Node("Add", ["x", "b"], ["y"])
            .Output("y", TensorElementType.Float, 4);
        var d = Single(Validate(builder), PgCode.TensorDataLengthMismatch);
        Assert.Equal(2007, (int)d.Code);
        Assert.Contains("'b'", d.Message, StringComparison.Ordinal);
        Assert.Contains("16", d.Message, StringComparison.Ordinal);
        Assert.Contains("12", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_field_count_not_matching_the_shape_is_TensorDataLengthMismatch()
    {
        var bad = new TensorProto { Name = "b", DataType = (int)TensorElementType.Float };
        bad.Dims.Add(4);
        bad.FloatData.AddRange([1f, 2f, 3f]);
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Initializer(bad)
            .Node("Add", ["x", "b"], ["y"])
            .Output("y", TensorElementType.Float, 4);
        Single(Validate(builder), PgCode.TensorDataLengthMismatch);
    }

    [Fact]
    public void Wrong_length_constant_inside_a_subgraph_is_found()
    {
        var badConstant = TensorProtos.Raw("c", TensorElementType.Float, [2], new byte[3]);
        var branch = new GraphProto { Name = "then" };
        branch.Node.Add(Nodes.Make("Constant", [], ["c"], "const", Attr.Tensor("value", badConstant)));
        branch.Output.Add(ModelBuilder.Value("c", TensorElementType.Float, 2));
        var other = new GraphProto { Name = "else" };
        other.Node.Add(Nodes.Make("Constant", [], ["d"], "const2", Attr.Tensor("value", TensorProtos.Floats("d", [2], 1, 2))));
        other.Output.Add(ModelBuilder.Value("d", TensorElementType.Float, 2));
        var builder = new ModelBuilder()
            .Input("cond", TensorElementType.Bool)
            .Node("If", ["cond"], ["y"], "if", Attr.Graph("then_branch", branch), Attr.Graph("else_branch", other))
            .Output("y", TensorElementType.Float, 2);
        var d = Single(Validate(builder), PgCode.TensorDataLengthMismatch);
        Assert.Contains("const", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subgraph_using_an_outer_scope_value_is_not_flagged()
    {
        // then: y_then = Relu(x) with x from the main graph; else: y_else = Neg(s) with s produced before the If.
        var thenBranch = new GraphProto { Name = "then" };
        thenBranch.Node.Add(Nodes.Make("Relu", ["x"], ["y_then"], "then_relu"));
        thenBranch.Output.Add(ModelBuilder.Value("y_then", TensorElementType.Float, 4));
        var elseBranch = new GraphProto { Name = "else" };
        elseBranch.Node.Add(Nodes.Make("Neg", ["s"], ["y_else"], "else_neg"));
        elseBranch.Output.Add(ModelBuilder.Value("y_else", TensorElementType.Float, 4));

        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Input("cond", TensorElementType.Bool)
            .Node("Sigmoid", ["x"], ["s"], "sig")
            .Node("If", ["cond"], ["y"], "if", Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch))
            .Output("y", TensorElementType.Float, 4);
        Assert.Empty(Validate(builder));
    }

    [Fact]
    public void Subgraph_using_a_value_produced_after_its_node_is_flagged()
    {
        var builder = Models.If(Nodes.Make("Relu", ["late"], ["y_then"], "then_relu"))
            .Node("Sigmoid", ["x"], ["late"], "sig")
            .Output("late", TensorElementType.Float, 4);
        var d = Notice(Validate(builder), PgCode.NotTopologicallySorted, DiagnosticSeverity.Info);
        Assert.Contains("'late'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Optional_empty_input_names_are_not_flagged()
    {
        var builder = new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Node("Clip", ["x", "", ""], ["y"])
            .Output("y", TensorElementType.Float, 4);
        Assert.Empty(Validate(builder));
    }

    [Fact]
    public void Validation_does_not_change_the_model()
    {
        var file = Models.AddRelu().Node("Mul", ["y", "ghost"], ["z"]).ToFile(DisplayPath);
        var before = file.Model.ToByteArray();
        ModelValidator.Validate(file);
        Assert.Equal(before, file.Model.ToByteArray());
    }
}
