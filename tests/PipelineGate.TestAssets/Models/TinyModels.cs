using Google.Protobuf;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.TestAssets.Models;

/// <summary>Small models built in code for binding tests (behaviour, not realism: real models come from packages).</summary>
public static class TinyModels
{
    /// <summary>y = Identity(x) for one element type, with the given dims ("batch" style strings are symbolic).</summary>
    public static byte[] Identity(TensorElementType type, params string[] dims) =>
        Single("Identity", type, dims, []);

    /// <summary>y = x + b with a float32 initializer b of shape [width]; x is [batch, width].</summary>
    public static byte[] AddBias(int width, float bias)
    {
        var graph = new GraphProto { Name = "add_bias" };
        graph.Input.Add(Value("x", TensorElementType.Float, "batch", width.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        graph.Output.Add(Value("y", TensorElementType.Float, "batch", width.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var b = new TensorProto { Name = "b", DataType = (int)TensorElementType.Float, RawData = ByteString.CopyFrom(TensorData.Create(Enumerable.Repeat(bias, width).ToArray(), width).Bytes) };
        b.Dims.Add(width);
        graph.Initializer.Add(b);
        graph.Node.Add(Node("Add", ["x", "b"], ["y"]));
        return Model(graph);
    }

    /// <summary>A chain of <paramref name="depth"/> MatMuls of [n,n] weights: a compute-heavy model of tunable cost.</summary>
    public static byte[] MatMulChain(int n, int depth, int seed = 1)
    {
        var rng = new Random(seed);
        var size = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var graph = new GraphProto { Name = "matmul_chain" };
        graph.Input.Add(Value("x", TensorElementType.Float, size, size));
        var previous = "x";
        for (var i = 0; i < depth; i++)
        {
            var w = new float[n * n];
            for (var k = 0; k < w.Length; k++)
            {
                w[k] = (float)((rng.NextDouble() - 0.5) * 2 / Math.Sqrt(n));
            }

            var t = new TensorProto { Name = $"w{i}", DataType = (int)TensorElementType.Float, RawData = ByteString.CopyFrom(TensorData.Create(w, n, n).Bytes) };
            t.Dims.Add([n, n]);
            graph.Initializer.Add(t);
            var output = i == depth - 1 ? "y" : $"h{i}";
            graph.Node.Add(Node("MatMul", [previous, $"w{i}"], [output], $"mm{i}"));
            previous = output;
        }

        graph.Output.Add(Value("y", TensorElementType.Float, size, size));
        return Model(graph);
    }

    public static byte[] Single(string op, TensorElementType type, string[] dims, IEnumerable<AttributeProto> attributes)
    {
        var graph = new GraphProto { Name = op.ToLowerInvariant() };
        graph.Input.Add(Value("x", type, dims));
        graph.Output.Add(Value("y", type, dims));
        var node = Node(op, ["x"], ["y"]);
        node.Attribute.Add(attributes);
        graph.Node.Add(node);
        return Model(graph);
    }

    public static ValueInfoProto Value(string name, TensorElementType type, params string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(long.TryParse(d, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
                ? new TensorShapeProto.Types.Dimension { DimValue = v }
                : new TensorShapeProto.Types.Dimension { DimParam = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, string? name = null)
    {
        var node = new NodeProto { OpType = op, Name = name ?? op.ToLowerInvariant() };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        return node;
    }

    public static byte[] Model(GraphProto graph, int opset = 17)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "pipelinegate-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model.ToByteArray();
    }
}
