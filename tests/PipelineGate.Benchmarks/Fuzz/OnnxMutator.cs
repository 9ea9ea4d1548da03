using Google.Protobuf;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Benchmarks.Fuzz;

/// <summary>
/// Structural mutations of a real ONNX model: dims, element types, attributes, node order, initializer
/// sizes, external-data entries, names, opsets; a small share of raw byte flips on top. Deterministic per seed.
/// </summary>
public static class OnnxMutator
{
    private static readonly long[] Dims = [0, -1, -7, 1, 3, 1L << 31, 1L << 40, 1_000_000_000_000, long.MaxValue, long.MinValue];

    public static byte[] Mutate(byte[] seed, Random rng)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(seed);
        }
        catch (InvalidProtocolBufferException)
        {
            return Flip(seed, rng);
        }

        var count = 1 + rng.Next(3);
        for (var i = 0; i < count; i++)
        {
            Apply(model, rng);
        }

        var bytes = model.ToByteArray();
        return rng.Next(10) == 0 ? Flip(bytes, rng) : bytes;
    }

    private static void Apply(ModelProto model, Random rng)
    {
        var g = model.Graph ??= new GraphProto();
        switch (rng.Next(11))
        {
            case 0: // a declared dim
                if (AllValues(g).ToList() is { Count: > 0 } values && values[rng.Next(values.Count)].Type?.TensorType?.Shape is { Dim.Count: > 0 } shape)
                {
                    var d = shape.Dim[rng.Next(shape.Dim.Count)];
                    if (rng.Next(3) == 0)
                    {
                        d.DimParam = rng.Next(2) == 0 ? "" : "n" + rng.Next(5);
                    }
                    else
                    {
                        d.DimValue = Dims[rng.Next(Dims.Length)];
                    }
                }

                break;
            case 1: // an element type
                if (AllValues(g).ToList() is { Count: > 0 } typed && typed[rng.Next(typed.Count)].Type?.TensorType is { } tt)
                {
                    tt.ElemType = rng.Next(-2, 30);
                }
                else if (g.Initializer.Count > 0)
                {
                    g.Initializer[rng.Next(g.Initializer.Count)].DataType = rng.Next(-2, 30);
                }

                break;
            case 2: // an attribute
                MutateAttribute(g, rng);
                break;
            case 3: // node order
                Shuffle(g, rng);
                break;
            case 4: // initializer size: dims that disagree with the data, or truncated data
                if (g.Initializer.Count > 0)
                {
                    var t = g.Initializer[rng.Next(g.Initializer.Count)];
                    if (rng.Next(2) == 0 && t.Dims.Count > 0)
                    {
                        t.Dims[rng.Next(t.Dims.Count)] = Dims[rng.Next(Dims.Length)];
                    }
                    else if (!t.RawData.IsEmpty)
                    {
                        t.RawData = ByteString.CopyFrom(t.RawData.Span[..rng.Next(t.RawData.Length)]);
                    }
                    else
                    {
                        t.Dims.Add(rng.Next(1, 1000));
                    }
                }

                break;
            case 5: // external data entries
                if (g.Initializer.Count > 0)
                {
                    var t = g.Initializer[rng.Next(g.Initializer.Count)];
                    t.DataLocation = TensorProto.Types.DataLocation.External;
                    t.ExternalData.Clear();
                    string[] locations = ["weights.bin", "../../../etc/passwd", "/etc/hostname", "", "sub/../../x.bin", "a\0b"];
                    t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = locations[rng.Next(locations.Length)] });
                    if (rng.Next(2) == 0)
                    {
                        t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = Dims[rng.Next(Dims.Length)].ToString(System.Globalization.CultureInfo.InvariantCulture) });
                    }

                    if (rng.Next(2) == 0)
                    {
                        t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = rng.Next(3) == 0 ? "abc" : Dims[rng.Next(Dims.Length)].ToString(System.Globalization.CultureInfo.InvariantCulture) });
                    }
                }

                break;
            case 6: // a dangling or duplicated name
                if (g.Node.Count > 0)
                {
                    var n = g.Node[rng.Next(g.Node.Count)];
                    if (n.Input.Count > 0 && rng.Next(2) == 0)
                    {
                        n.Input[rng.Next(n.Input.Count)] = "ghost" + rng.Next(3);
                    }
                    else if (n.Output.Count > 0 && g.Node.Count > 1)
                    {
                        n.Output[0] = g.Node[rng.Next(g.Node.Count)].Output.FirstOrDefault() ?? "";
                    }
                }

                break;
            case 7: // opsets and versions
                if (model.OpsetImport.Count > 0 && rng.Next(2) == 0)
                {
                    model.OpsetImport[0].Version = rng.Next(-1, 40);
                }
                else
                {
                    model.IrVersion = rng.Next(-1, 15);
                }

                break;
            case 8: // remove something
                if (g.Node.Count > 0 && rng.Next(2) == 0)
                {
                    g.Node.RemoveAt(rng.Next(g.Node.Count));
                }
                else if (g.Output.Count > 0)
                {
                    g.Output.RemoveAt(rng.Next(g.Output.Count));
                }

                break;
            case 9: // an op type or domain
                if (g.Node.Count > 0)
                {
                    var n = g.Node[rng.Next(g.Node.Count)];
                    string[] ops = ["Conv", "MatMul", "Loop", "If", "Reshape", "Gather", "NoSuchOp", "", "DynamicQuantizeLinear", "MatMulInteger"];
                    if (rng.Next(3) == 0)
                    {
                        n.Domain = rng.Next(2) == 0 ? "com.microsoft" : "custom.evil";
                    }
                    else
                    {
                        n.OpType = ops[rng.Next(ops.Length)];
                    }
                }

                break;
            default: // a subgraph nested in a node, and again
                if (g.Node.Count > 0)
                {
                    var n = g.Node[rng.Next(g.Node.Count)];
                    n.Attribute.Add(new AttributeProto { Name = "body", Type = AttributeProto.Types.AttributeType.Graph, G = g.Clone() });
                }

                break;
        }
    }

    private static void MutateAttribute(GraphProto g, Random rng)
    {
        if (g.Node.Count == 0)
        {
            return;
        }

        var n = g.Node[rng.Next(g.Node.Count)];
        if (n.Attribute.Count == 0 || rng.Next(4) == 0)
        {
            string[] names = ["axis", "perm", "kernel_shape", "strides", "pads", "group", "to", "transB", "alpha"];
            var a = new AttributeProto { Name = names[rng.Next(names.Length)], Type = (AttributeProto.Types.AttributeType)rng.Next(0, 15) };
            a.Ints.Add(Enumerable.Range(0, rng.Next(6)).Select(_ => Dims[rng.Next(Dims.Length)]));
            a.I = Dims[rng.Next(Dims.Length)];
            n.Attribute.Add(a);
            return;
        }

        var attr = n.Attribute[rng.Next(n.Attribute.Count)];
        switch (rng.Next(4))
        {
            case 0:
                attr.Type = (AttributeProto.Types.AttributeType)rng.Next(0, 15);
                break;
            case 1:
                attr.I = Dims[rng.Next(Dims.Length)];
                attr.Ints.Clear();
                attr.Ints.Add(Enumerable.Range(0, rng.Next(8)).Select(_ => Dims[rng.Next(Dims.Length)]));
                break;
            case 2:
                n.Attribute.Remove(attr);
                break;
            default:
                attr.T = new TensorProto { DataType = rng.Next(0, 20), Dims = { Dims[rng.Next(Dims.Length)] }, RawData = ByteString.CopyFrom(new byte[rng.Next(16)]) };
                break;
        }
    }

    private static void Shuffle(GraphProto g, Random rng)
    {
        var nodes = g.Node.ToList();
        switch (rng.Next(3))
        {
            case 0:
                nodes.Reverse();
                break;
            case 1:
                rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nodes));
                break;
            default:
                if (nodes.Count > 1)
                {
                    var (a, b) = (rng.Next(nodes.Count), rng.Next(nodes.Count));
                    (nodes[a], nodes[b]) = (nodes[b], nodes[a]);
                }

                break;
        }

        g.Node.Clear();
        g.Node.Add(nodes);
    }

    private static IEnumerable<ValueInfoProto> AllValues(GraphProto g) => g.Input.Concat(g.Output).Concat(g.ValueInfo);

    private static byte[] Flip(byte[] bytes, Random rng)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = 0; i < 1 + rng.Next(4) && copy.Length > 0; i++)
        {
            copy[rng.Next(copy.Length)] ^= (byte)(1 << rng.Next(8));
        }

        return copy;
    }
}
