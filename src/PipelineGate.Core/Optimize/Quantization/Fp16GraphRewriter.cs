using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Rewrites one graph to float16. Every float32 value gets the type its producer gives it: graph inputs
/// and nodes kept in float32 produce float32, other nodes float16, and constants whatever their users
/// want (float16 as soon as one float16 node uses them, so that the weights shrink). Each user that
/// wants the other type reads a converted copy: one Cast per value and direction, placed right after
/// the producer so that the node order stays topological. Graph outputs keep their names and float32
/// type: their producer writes "name_fp16" and a Cast back to float32 writes the original name.
/// </summary>
internal sealed class Fp16GraphRewriter(ModelFile file, GraphProto graph, Func<NodeProto, string?> keepReason)
{
    private const int Float = (int)TensorElementType.Float;
    private const int Half = (int)TensorElementType.Float16;

    private readonly HashSet<string> _names = GraphConstants.AllNames(graph);
    private readonly Dictionary<int, List<NodeProto>> _after = [];
    private readonly HashSet<string> _halfNames = new(StringComparer.Ordinal);

    public Fp16Tensors Tensors { get; } = new();

    /// <summary>Nodes that compute in float16 (touch at least one float value and are not kept).</summary>
    public int HalfNodes { get; private set; }

    public int Casts { get; private set; }

    /// <summary>Weights stored as float16 but cast back to float32 for float32 users.</summary>
    public int StoredOnly { get; private set; }

    /// <summary>Kept float32 nodes that handle float values, counted by op type and reason.</summary>
    public SortedDictionary<(string Op, string Reason), int> Kept { get; } = new(Comparer<(string Op, string Reason)>.Create(static (a, b) =>
        string.CompareOrdinal(a.Op, b.Op) is var c and not 0 ? c : string.CompareOrdinal(a.Reason, b.Reason)));

    private sealed record Use(int Node, int Input, bool Half);

    private enum Source { Input, Initializer, ConstantNode, Node }

    public void Run()
    {
        var types = ElementTypeInference.Infer(graph);
        bool IsFloat(string name) => !string.IsNullOrEmpty(name) && types.TryGetValue(name, out var t) && t == Float;
        var nodes = graph.Node.ToList();
        var reasons = nodes.Select(keepReason).ToArray();
        var uses = new Dictionary<string, List<Use>>(StringComparer.Ordinal);
        void AddUse(string name, Use use) => (uses.TryGetValue(name, out var list) ? list : uses[name] = []).Add(use);

        for (var i = 0; i < nodes.Count; i++)
        {
            var touchesFloat = false;
            for (var j = 0; j < nodes[i].Input.Count; j++)
            {
                if (IsFloat(nodes[i].Input[j]))
                {
                    AddUse(nodes[i].Input[j], new Use(i, j, reasons[i] is null));
                    touchesFloat = true;
                }
            }

            if (reasons[i] is not null)
            {
                foreach (var free in SubgraphScope.FreeVariables(nodes[i]).Where(IsFloat))
                {
                    AddUse(free, new Use(i, -1, false));
                    touchesFloat = true;
                }
            }

            touchesFloat |= nodes[i].Output.Any(IsFloat);
            if (!touchesFloat || nodes[i].OpType == "Constant")
            {
                continue;
            }

            if (reasons[i] is { } reason)
            {
                Kept[(nodes[i].OpType, reason)] = Kept.GetValueOrDefault((nodes[i].OpType, reason)) + 1;
            }
            else
            {
                HalfNodes++;
            }
        }

        foreach (var o in graph.Output.Where(o => IsFloat(o.Name)))
        {
            AddUse(o.Name, new Use(-1, -1, false));
        }

        var producers = new List<(string Name, Source Kind, int Index)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        producers.AddRange(graph.Input.Where(i => IsFloat(i.Name) && seen.Add(i.Name)).Select(static i => (i.Name, Source.Input, -1)));
        producers.AddRange(graph.Initializer.Select(static (t, k) => (t, k)).Where(x => Fp16Tensors.IsFloat(x.t) && seen.Add(x.t.Name)).Select(static x => (x.t.Name, Source.Initializer, x.k)));
        for (var i = 0; i < nodes.Count; i++)
        {
            var kind = nodes[i].OpType == "Constant" && OnnxDomains.Same(nodes[i].Domain, OnnxDomains.Default) ? Source.ConstantNode : Source.Node;
            producers.AddRange(nodes[i].Output.Where(o => IsFloat(o) && seen.Add(o)).Select(o => (o, kind, i)));
        }

        foreach (var (name, kind, index) in producers)
        {
            Retype(name, kind, index, uses.GetValueOrDefault(name) ?? [], nodes, graph.Output.Any(o => o.Name == name));
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            if (reasons[i] is null)
            {
                Fp16Attributes.Retype(nodes[i], types, Tensors, file);
            }
        }

        graph.Node.Clear();
        graph.Node.Add(_after.GetValueOrDefault(-1) ?? []);
        for (var i = 0; i < nodes.Count; i++)
        {
            graph.Node.Add(nodes[i]);
            graph.Node.Add(_after.GetValueOrDefault(i) ?? []);
        }

        foreach (var vi in graph.ValueInfo.Where(v => v.Type?.TensorType is { ElemType: Float } && _halfNames.Contains(v.Name)))
        {
            vi.Type.TensorType.ElemType = Half;
        }
    }

    private void Retype(string name, Source kind, int index, List<Use> uses, List<NodeProto> nodes, bool isGraphOutput)
    {
        var anyHalf = uses.Any(static u => u.Half);
        var anyFloat = uses.Any(static u => !u.Half);
        var producesHalf = kind switch
        {
            Source.Input => false,
            Source.Initializer or Source.ConstantNode => anyHalf,
            _ => keepReason(nodes[index]) is null,
        };
        var at = kind is Source.Input or Source.Initializer ? -1 : index;
        if (kind == Source.ConstantNode && Fp16Attributes.ConstantValue(nodes[index]) is null)
        {
            producesHalf = false; // a sparse float constant: left as it is, cast for float16 users
        }

        if (!producesHalf)
        {
            if (kind is Source.Initializer or Source.ConstantNode && uses.Count > 0 && StoreAsHalf(kind, index, nodes, name, at))
            {
                return;
            }

            if (anyHalf)
            {
                var halfName = GraphConstants.UniqueName(_names, name + "_fp16");
                AddCast(at, name, halfName, Half);
                Redirect(uses.Where(static u => u.Half), nodes, name, halfName);
            }

            return;
        }

        TensorProto? original = null;
        if (kind == Source.Initializer)
        {
            original = graph.Initializer[index];
            graph.Initializer[index] = Tensors.ToHalf(original, file);
        }
        else if (kind == Source.ConstantNode)
        {
            original = Fp16Attributes.ConstantValue(nodes[index])!;
            Fp16Attributes.SetConstantValue(nodes[index], Tensors.ToHalf(original, file));
        }

        if (isGraphOutput)
        {
            // The graph output keeps its name and float32 type; the float16 value gets a new name.
            var halfName = GraphConstants.UniqueName(_names, name + "_fp16");
            RenameProduced(kind, index, nodes, name, halfName);
            _halfNames.Add(halfName);
            AddCast(at, halfName, name, Float);
            Redirect(uses.Where(static u => u.Half), nodes, name, halfName);
            return;
        }

        _halfNames.Add(name);
        if (!anyFloat)
        {
            return;
        }

        var floatName = GraphConstants.UniqueName(_names, name + "_fp32");
        if (original is not null)
        {
            // Float32 users of a constant read an exact float32 copy rather than a float16 round trip.
            // (a Constant node, not an initializer: IR 3 models would need every initializer listed as an input).
            var copy = original.Clone();
            copy.Name = string.Empty;
            var constant = new NodeProto { OpType = "Constant", Name = GraphConstants.UniqueName(_names, floatName + "_const") };
            constant.Output.Add(floatName);
            constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = copy });
            Insert(at, constant);
        }
        else
        {
            AddCast(at, name, floatName, Float);
        }

        Redirect(uses.Where(static u => !u.Half), nodes, name, floatName);
    }

    /// <summary>
    /// A weight read only by float32 nodes (e.g. from an If body) is still stored as float16, with a Cast
    /// back to float32 under its original name: ORT folds a Cast of a constant when it loads the session,
    /// so the compute stays float32 and only the file shrinks. Small constants (shape-like scalars and
    /// vectors, Resize scales) and tensors beyond float16's range keep their exact float32 values.
    /// </summary>
    private bool StoreAsHalf(Source kind, int index, List<NodeProto> nodes, string name, int at)
    {
        var tensor = kind == Source.Initializer ? graph.Initializer[index] : Fp16Attributes.ConstantValue(nodes[index]);
        if (tensor is null || TensorProtoConverter.StoredByteLength(tensor) is not { } bytes || bytes < Fp16Tensors.MinimumStoredElements * 4 || !Fp16Tensors.InRange(tensor, file))
        {
            return false;
        }

        var halfName = GraphConstants.UniqueName(_names, name + "_fp16");
        if (kind == Source.Initializer)
        {
            graph.Initializer[index] = Tensors.ToHalf(tensor, file);
        }
        else
        {
            Fp16Attributes.SetConstantValue(nodes[index], Tensors.ToHalf(tensor, file));
        }

        RenameProduced(kind, index, nodes, name, halfName);
        _halfNames.Add(halfName);
        AddCast(at, halfName, name, Float);
        StoredOnly++;
        return true;
    }

    private void Redirect(IEnumerable<Use> uses, List<NodeProto> nodes, string from, string to)
    {
        foreach (var u in uses)
        {
            if (u.Node < 0 || from == to)
            {
                continue;
            }

            if (u.Input >= 0)
            {
                nodes[u.Node].Input[u.Input] = to;
            }
            else
            {
                SubgraphScope.RenameFree(nodes[u.Node], from, to);
            }
        }
    }

    private void RenameProduced(Source kind, int index, List<NodeProto> nodes, string from, string to)
    {
        if (kind == Source.Initializer)
        {
            graph.Initializer[index].Name = to;
            return;
        }

        var node = nodes[index];
        for (var k = 0; k < node.Output.Count; k++)
        {
            if (node.Output[k] == from)
            {
                node.Output[k] = to;
            }
        }
    }

    private void AddCast(int after, string input, string output, int to)
    {
        var cast = new NodeProto { OpType = "Cast", Name = GraphConstants.UniqueName(_names, output + "_cast") };
        cast.Input.Add(input);
        cast.Output.Add(output);
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = to });
        Insert(after, cast);
        Casts++;
    }

    private void Insert(int after, NodeProto node) => (_after.TryGetValue(after, out var list) ? list : _after[after] = []).Add(node);
}
