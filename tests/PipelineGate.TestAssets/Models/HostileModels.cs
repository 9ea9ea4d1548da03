using Google.Protobuf;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;
using static PipelineGate.TestAssets.Models.TinyModels;

namespace PipelineGate.TestAssets.Models;

/// <summary>
/// Real ONNX graphs that pass validation and that ONNX Runtime 1.31.1 loads, but that no gate may wait for.
/// </summary>
public static class HostileModels
{
    /// <summary>
    /// y = Loop(M = 2^63 - 1, cond = true){ v = Neg(v) }(x): a valid Loop whose trip count never ends in
    /// practice; ORT runs it until the process is stopped (checked with ORT 1.31.1: `pipelinegate run` on it
    /// does not return within 20 s).
    /// </summary>
    public static byte[] EndlessLoop()
    {
        var body = new GraphProto { Name = "body" };
        body.Input.Add(Value("i", TensorElementType.Int64));
        body.Input.Add(Value("c", TensorElementType.Bool));
        body.Input.Add(Value("v", TensorElementType.Float, "1"));
        body.Output.Add(Value("c_out", TensorElementType.Bool));
        body.Output.Add(Value("v_out", TensorElementType.Float, "1"));
        body.Node.Add(Node("Identity", ["c"], ["c_out"], "keep_going"));
        body.Node.Add(Node("Neg", ["v"], ["v_out"], "neg"));

        var graph = new GraphProto { Name = "endless_loop" };
        graph.Input.Add(Value("x", TensorElementType.Float, "1"));
        graph.Output.Add(Value("y", TensorElementType.Float, "1"));
        var m = new TensorProto { Name = "M", DataType = (int)TensorElementType.Int64, RawData = ByteString.CopyFrom(BitConverter.GetBytes(long.MaxValue)) };
        graph.Initializer.Add(m);
        graph.Initializer.Add(new TensorProto { Name = "cond", DataType = (int)TensorElementType.Bool, RawData = ByteString.CopyFrom([1]) });
        var loop = Node("Loop", ["M", "cond", "x"], ["y"], "loop");
        loop.Attribute.Add(new AttributeProto { Name = "body", Type = AttributeProto.Types.AttributeType.Graph, G = body });
        graph.Node.Add(loop);
        return Model(graph);
    }
}
