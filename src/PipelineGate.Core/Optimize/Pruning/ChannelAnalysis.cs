using System.Globalization;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// Follows output channels of Conv/Gemm/MatMul through the graph (topological order) and ties together,
/// channel by channel, every position that must go when a channel goes: through BatchNormalization,
/// element-wise activations and pools, per-channel constants, residual Add/Mul between activations (tied
/// channels, one union-find class), Concat (offsets), depthwise Conv (groups shrink), Flatten/Reshape into
/// Gemm/MatMul (one channel = H·W features, the target constant or built at run time from the batch),
/// Squeeze/Unsqueeze, and Shape reads that keep only the dimensions before the channel axis. Anything else that
/// reads a channel or its count (a graph output, Transpose, a grouped Conv, a subgraph, an op it does not know)
/// blocks that channel's class.
/// </summary>
internal sealed partial class ChannelAnalysis
{
    private static readonly HashSet<string> Unary = new(StringComparer.Ordinal)
    {
        "Relu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "LeakyRelu", "Elu", "Selu", "Celu", "Softplus", "Softsign", "Gelu", "Erf", "Abs", "Neg",
        "Exp", "Log", "Identity", "Clip", "Dropout", "Cast", "Sqrt", "Reciprocal", "Mish", "Floor", "Ceil", "Round", "Sign", "ThresholdedRelu",
    };

    private static readonly HashSet<string> Pools = new(StringComparer.Ordinal)
    {
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool", "GlobalLpPool",
    };

    private static readonly HashSet<string> Binary = new(StringComparer.Ordinal) { "Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Mean", "PRelu" };

    private readonly List<int> _parent = [];
    private readonly Dictionary<int, string> _blocked = [];
    private readonly GraphProto _graph;
    private readonly ModelFile _file;
    private readonly Dictionary<string, TensorProto> _constants;
    private readonly IReadOnlyDictionary<string, long[]> _shapes;
    private readonly IReadOnlyDictionary<string, long[]> _shapesAlt;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Dictionary<string, TrackedValue> Values { get; } = new(StringComparer.Ordinal);

    public List<ChannelProducer> Producers { get; } = [];

    public List<ChannelEdit> Edits { get; } = [];

    public ChannelAnalysis(ModelFile file)
    {
        _file = file;
        _graph = file.Graph;
        _constants = GraphConstants.Collect(_graph);
        _shapes = StaticShapes.Infer(_graph);
        // Inferred again with every symbolic input dimension set to 7: a size that differs depends on them.
        _shapesAlt = StaticShapes.Infer(_graph, StaticShapes.Symbols(_graph).ToDictionary(static s => s, static _ => 7L, StringComparer.Ordinal));
        for (var i = 0; i < _graph.Node.Count; i++)
        {
            var n = _graph.Node[i];
            _used.UnionWith(n.Input);
            foreach (var input in n.Input)
            {
                _readers[input] = _readers.GetValueOrDefault(input) + 1;
            }

            foreach (var output in n.Output)
            {
                _producer[output] = i;
            }
        }

        foreach (var o in _graph.Output)
        {
            _readers[o.Name] = _readers.GetValueOrDefault(o.Name) + 1;
        }

        Run();
    }

    public int Find(int id)
    {
        while (_parent[id] != id)
        {
            _parent[id] = _parent[_parent[id]];
            id = _parent[id];
        }

        return id;
    }

    /// <summary>Why a class cannot be pruned, or null when it can.</summary>
    public string? BlockedReason(int root) => _blockedRoots!.GetValueOrDefault(root);

    private Dictionary<int, string>? _blockedRoots;

    private void Run()
    {
        for (var i = 0; i < _graph.Node.Count; i++)
        {
            var n = _graph.Node[i];
            if (n.OpType == "Constant")
            {
                continue;
            }

            Visit(i, n, Label(n, i));
        }

        foreach (var o in _graph.Output)
        {
            if (Values.TryGetValue(o.Name, out var t))
            {
                Block(t, $"reaches the graph output '{o.Name}'");
            }

            if (_shapeOf.TryGetValue(o.Name, out var s))
            {
                Block(s, $"has its shape reach the graph output '{o.Name}'");
            }
        }

        foreach (var sub in ModelWalker.SubgraphsOf(_graph.Node).SelectMany(ModelWalker.GraphAndSubgraphs))
        {
            foreach (var input in sub.Node.SelectMany(static n => n.Input))
            {
                if (Values.TryGetValue(input, out var t) || _shapeOf.TryGetValue(input, out t))
                {
                    Block(t, "is read inside a subgraph (If/Loop/Scan body)");
                }
            }
        }

        _blockedRoots = [];
        foreach (var (id, reason) in _blocked)
        {
            _blockedRoots.TryAdd(Find(id), reason);
        }
    }

    private void Visit(int i, NodeProto n, string label)
    {
        var x = n.Input.Count > 0 ? Values.GetValueOrDefault(n.Input[0]) : null;
        if (!OnnxDomains.Same(n.Domain, OnnxDomains.Default))
        {
            BlockInputs(n, $"is read by {n.OpType} '{label}' ({n.Domain})");
            return;
        }

        if (ShapeRead(n, label))
        {
            return;
        }

        switch (n.OpType)
        {
            case "Conv":
                Conv(i, n, x, label);
                return;
            case "Gemm":
                Gemm(i, n, x, label);
                return;
            case "MatMul":
                MatMul(i, n, x, label);
                return;
            case "BatchNormalization" or "InstanceNormalization":
                if (x is null)
                {
                    return;
                }

                if (x.Axis != 1 || n.Output.Skip(1).Any(_used.Contains))
                {
                    Block(x, $"is normalized by '{label}' in a form it cannot slice");
                    return;
                }

                for (var slot = 1; slot < n.Input.Count; slot++)
                {
                    if (!SliceableConstant(n.Input[slot], x.Ids.Length, out _))
                    {
                        Block(x, $"'{label}' has a parameter that is not a constant per channel");
                        return;
                    }

                    Edits.Add(new ChannelEdit(i, slot, 0, x.Ids, EditKind.Slice, EditRole.Between));
                }

                Values[n.Output[0]] = x;
                return;
            case var op when Unary.Contains(op):
                if (x is null)
                {
                    return;
                }

                if (n.Output.Skip(1).Any(_used.Contains) || n.Input.Skip(1).Any(Values.ContainsKey))
                {
                    Block(x, $"is read by '{label}' in a form it cannot follow");
                    return;
                }

                Values[n.Output[0]] = x;
                return;
            case var op when Pools.Contains(op):
                if (x is null)
                {
                    return;
                }

                if (x.Axis != 1 || n.Output.Skip(1).Any(_used.Contains))
                {
                    Block(x, $"is pooled by '{label}' along another axis");
                    return;
                }

                Values[n.Output[0]] = x;
                return;
            case var op when Binary.Contains(op):
                Elementwise(i, n, label);
                return;
            case "Concat":
                Concat(n, label);
                return;
            case "Flatten" or "Reshape":
                Flatten(i, n, x, label);
                return;
            case "Squeeze" or "Unsqueeze":
                Squeeze(n, x, label);
                return;
            default:
                BlockInputs(n, $"is read by {n.OpType} '{label}', which channel pruning does not follow");
                return;
        }
    }

    private bool SliceableConstant(string name, int count, out TensorProto? tensor)
    {
        tensor = _constants.GetValueOrDefault(name);
        return tensor is not null && WeightTensors.IsFloat(tensor) && tensor.Dims.Count == 1 && tensor.Dims[0] == count;
    }

    private long[]? ConstantInts(string name)
    {
        if (!_constants.TryGetValue(name, out var t) || t.DataType is not ((int)TensorElementType.Int64 or (int)TensorElementType.Int32))
        {
            return null;
        }

        var data = TensorProtoConverter.ToTensorData(t, _file);
        return t.DataType == (int)TensorElementType.Int64 ? data.AsSpan<long>().ToArray() : [.. data.AsSpan<int>().ToArray().Select(static v => (long)v)];
    }

    private int[] NewIds(int count)
    {
        var ids = new int[count];
        for (var c = 0; c < count; c++)
        {
            ids[c] = _parent.Count;
            _parent.Add(_parent.Count);
        }

        return ids;
    }

    private void Union(int a, int b)
    {
        var (ra, rb) = (Find(a), Find(b));
        if (ra != rb)
        {
            _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }

    private void Block(TrackedValue t, string reason)
    {
        foreach (var id in t.Ids)
        {
            _blocked.TryAdd(id, reason);
        }
    }

    private void BlockInputs(NodeProto n, string reason, int from = 0)
    {
        foreach (var input in n.Input.Skip(from))
        {
            if (Values.TryGetValue(input, out var t))
            {
                Block(t, reason);
            }
        }
    }

    public static string Label(NodeProto n, int i) =>
        string.IsNullOrEmpty(n.Name) ? string.Create(CultureInfo.InvariantCulture, $"#{i} ({n.OpType})") : n.Name;
}
