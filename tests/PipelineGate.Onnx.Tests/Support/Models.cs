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
}
