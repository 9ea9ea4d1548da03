using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Onnx.Tests.Support;

/// <summary>Ready-made small models shared by several test classes.</summary>
internal static class Models
{
    /// <summary>y = Relu(x + b): a valid two-node model with one initializer.</summary>
    public static ModelBuilder AddRelu() => new ModelBuilder()
        .Input("x", TensorElementType.Float, 1, 4)
        .Initializer(TensorProtos.Floats("b", [4], 1f, -2f, 3f, -4f))
        .Node("Add", ["x", "b"], ["s"], "add")
        .Node("Relu", ["s"], ["y"], "relu")
        .Output("y", TensorElementType.Float, 1, 4);

    /// <summary>y = If(cond) { then: these nodes, whose result is y_then } else { y_else = Neg(x) }; inputs x[4] and cond.</summary>
    public static ModelBuilder If(params NodeProto[] thenNodes)
    {
        var thenBranch = new GraphProto { Name = "then" };
        thenBranch.Node.Add(thenNodes);
        thenBranch.Output.Add(ModelBuilder.Value("y_then", TensorElementType.Float, 4));
        var elseBranch = new GraphProto { Name = "else" };
        elseBranch.Node.Add(Nodes.Make("Neg", ["x"], ["y_else"], "else_neg"));
        elseBranch.Output.Add(ModelBuilder.Value("y_else", TensorElementType.Float, 4));
        return new ModelBuilder()
            .Input("x", TensorElementType.Float, 4)
            .Input("cond", TensorElementType.Bool)
            .Node("If", ["cond"], ["y"], "if", Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch))
            .Output("y", TensorElementType.Float, 4);
    }
}
