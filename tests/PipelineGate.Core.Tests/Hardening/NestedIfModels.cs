using Google.Protobuf;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Tests.Hardening;

/// <summary>
/// Models made of If nodes nested inside each other's then-branch: y = x through <c>levels</c> Ifs.
/// With <c>shapes</c>, every subgraph output declares its shape [1] (3 more protobuf levels at the bottom:
/// shape, dimension), as exporters write them.
/// </summary>
internal static class NestedIfModels
{
    public static byte[] Build(int levels, bool shapes)
    {
        var graph = new GraphProto { Name = "nested_if" };
        graph.Input.Add(Value("c", TensorElementType.Bool, shapes, scalar: true));
        graph.Input.Add(Value("x", TensorElementType.Float, shapes));
        graph.Output.Add(Value("y", TensorElementType.Float, shapes));
        graph.Node.Add(Level(levels, "y", shapes));
        var model = new ModelProto { IrVersion = 9, ProducerName = "pipelinegate-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        return model.ToByteArray();
    }

    private static NodeProto Level(int level, string output, bool shapes)
    {
        if (level == 0)
        {
            return Node("Identity", ["x"], output);
        }

        var inner = "t" + level;
        var then = new GraphProto { Name = "then" + level };
        then.Node.Add(Level(level - 1, inner, shapes));
        then.Output.Add(Value(inner, TensorElementType.Float, shapes));
        var otherwise = new GraphProto { Name = "else" + level };
        otherwise.Node.Add(Node("Identity", ["x"], "e" + level));
        otherwise.Output.Add(Value("e" + level, TensorElementType.Float, shapes));
        var node = Node("If", ["c"], output);
        node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = then });
        node.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = otherwise });
        return node;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var n = new NodeProto { OpType = op, Name = op + "_" + output };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        return n;
    }

    private static ValueInfoProto Value(string name, TensorElementType type, bool shapes, bool scalar = false)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (shapes)
        {
            tensor.Shape = new TensorShapeProto();
            if (!scalar)
            {
                tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
            }
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
