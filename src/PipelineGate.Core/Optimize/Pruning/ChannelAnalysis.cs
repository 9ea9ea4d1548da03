using System.Globalization;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Pruning;

/// <summary>A value whose channels are tracked: the channel axis, the rank, and one channel id per position (Flatten repeats ids).</summary>
internal sealed record TrackedValue(int Axis, int Rank, int[] Ids);

internal enum EditKind
{
    /// <summary>Keep the surviving positions of a constant input along an axis.</summary>
    Slice,

    /// <summary>A depthwise Conv's group attribute becomes the surviving channel count.</summary>
    Group,

    /// <summary>A Reshape's 2-D target [batch, features] gets the surviving feature count.</summary>
    ReshapeTarget,
}

/// <summary>Where an edit sits: at the layer that makes the channels, at a layer that reads them (sums over them), or in between.</summary>
internal enum EditRole
{
    Producer,
    Consumer,
    Between,
}

/// <summary>One change the surgery makes when channels go; <see cref="Ids"/> are the channel ids of the positions along <see cref="Axis"/>.</summary>
internal sealed record ChannelEdit(int Node, int Slot, int Axis, int[] Ids, EditKind Kind, EditRole Role);

/// <summary>A node whose output channels are a source of prunable channels: Conv (group 1), Gemm, MatMul with a constant weight.</summary>
internal sealed record ChannelProducer(int Node, string Label, int WeightSlot, int WeightAxis, int[] Ids);

/// <summary>
/// Follows output channels of Conv/Gemm/MatMul through the graph (topological order) and ties together,
/// channel by channel, every position that must go when a channel goes: through BatchNormalization,
/// element-wise activations and pools, per-channel constants, residual Add/Mul between activations (tied
/// channels, one union-find class), Concat (offsets), depthwise Conv (groups shrink), Flatten/Reshape into
/// Gemm/MatMul (one channel = H·W features), Squeeze/Unsqueeze. Anything else that reads a channel (a graph
/// output, Transpose, a grouped Conv, a subgraph, an op it does not know) blocks that channel's class.
/// </summary>
internal sealed class ChannelAnalysis
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
        foreach (var n in _graph.Node)
        {
            _used.UnionWith(n.Input);
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
        }

        foreach (var sub in ModelWalker.SubgraphsOf(_graph.Node).SelectMany(ModelWalker.GraphAndSubgraphs))
        {
            foreach (var input in sub.Node.SelectMany(static n => n.Input))
            {
                if (Values.TryGetValue(input, out var t))
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

    private void Conv(int i, NodeProto n, TrackedValue? x, string label)
    {
        if (n.Input.Count < 2 || !_constants.TryGetValue(n.Input[1], out var w) || !WeightTensors.IsFloat(w) || w.Dims.Count < 3)
        {
            BlockInputs(n, $"'{label}' has no constant float weight");
            return;
        }

        BlockInputs(n, $"'{label}' reads it as a weight", from: 1);
        var group = NodeAttributes.Int(n, "group", 1);
        var cout = (int)w.Dims[0];
        var perGroup = (int)w.Dims[1];
        var hasBias = n.Input.Count > 2 && !string.IsNullOrEmpty(n.Input[2]);
        if (hasBias && !SliceableConstant(n.Input[2], cout, out _))
        {
            if (x is not null)
            {
                Block(x, $"'{label}' has a bias that is not a constant");
            }

            return;
        }

        if (group == 1)
        {
            if (x is not null)
            {
                if (x.Axis == 1 && x.Ids.Length == perGroup)
                {
                    Edits.Add(new ChannelEdit(i, 1, 1, x.Ids, EditKind.Slice, EditRole.Consumer));
                }
                else
                {
                    Block(x, $"'{label}' reads it along another axis");
                }
            }

            var ids = NewIds(cout);
            Values[n.Output[0]] = new TrackedValue(1, w.Dims.Count, ids);
            Producers.Add(new ChannelProducer(i, label, 1, 0, ids));
            Edits.Add(new ChannelEdit(i, 1, 0, ids, EditKind.Slice, EditRole.Producer));
            if (hasBias)
            {
                Edits.Add(new ChannelEdit(i, 2, 0, ids, EditKind.Slice, EditRole.Producer));
            }

            return;
        }

        if (x is not null && x.Axis == 1 && group == x.Ids.Length && perGroup == 1 && cout == group)
        {
            // Depthwise: channel c in, channel c out; the channel goes with its filter and the group count shrinks.
            Edits.Add(new ChannelEdit(i, 1, 0, x.Ids, EditKind.Slice, EditRole.Between));
            if (hasBias)
            {
                Edits.Add(new ChannelEdit(i, 2, 0, x.Ids, EditKind.Slice, EditRole.Between));
            }

            Edits.Add(new ChannelEdit(i, -1, 0, x.Ids, EditKind.Group, EditRole.Between));
            Values[n.Output[0]] = x;
            return;
        }

        if (x is not null)
        {
            Block(x, string.Create(CultureInfo.InvariantCulture, $"is read by the grouped convolution '{label}' (group {group}), whose groups would become uneven"));
        }
    }

    private void Gemm(int i, NodeProto n, TrackedValue? x, string label)
    {
        if (n.Input.Count < 2 || !_constants.TryGetValue(n.Input[1], out var b) || !WeightTensors.IsFloat(b) || b.Dims.Count != 2)
        {
            BlockInputs(n, $"'{label}' has no constant 2-D float weight");
            return;
        }

        BlockInputs(n, $"'{label}' reads it as a weight or bias", from: 1);
        var transB = NodeAttributes.Int(n, "transB", 0) == 1;
        var k = (int)b.Dims[transB ? 1 : 0];
        var outputs = (int)b.Dims[transB ? 0 : 1];
        if (x is not null)
        {
            if (NodeAttributes.Int(n, "transA", 0) == 0 && x.Rank == 2 && x.Axis == 1 && x.Ids.Length == k)
            {
                Edits.Add(new ChannelEdit(i, 1, transB ? 1 : 0, x.Ids, EditKind.Slice, EditRole.Consumer));
            }
            else
            {
                Block(x, $"'{label}' reads it transposed or along another axis");
            }
        }

        var biasAxis = -1;
        if (n.Input.Count > 2 && !string.IsNullOrEmpty(n.Input[2]))
        {
            if (!_constants.TryGetValue(n.Input[2], out var c) || !WeightTensors.IsFloat(c))
            {
                return;
            }

            var dims = c.Dims.ToArray();
            if (dims.Length > 0 && dims[^1] == outputs && outputs != 1)
            {
                biasAxis = dims.Length - 1;
            }
            else if (dims.Length > 0 && dims[^1] != 1)
            {
                return;
            }
        }

        var ids = NewIds(outputs);
        Values[n.Output[0]] = new TrackedValue(1, 2, ids);
        Producers.Add(new ChannelProducer(i, label, 1, transB ? 0 : 1, ids));
        Edits.Add(new ChannelEdit(i, 1, transB ? 0 : 1, ids, EditKind.Slice, EditRole.Producer));
        if (biasAxis >= 0)
        {
            Edits.Add(new ChannelEdit(i, 2, biasAxis, ids, EditKind.Slice, EditRole.Producer));
        }
    }

    private void MatMul(int i, NodeProto n, TrackedValue? x, string label)
    {
        if (n.Input.Count < 2 || !_constants.TryGetValue(n.Input[1], out var w) || !WeightTensors.IsFloat(w) || w.Dims.Count != 2)
        {
            BlockInputs(n, $"'{label}' multiplies it by something other than a constant 2-D weight");
            return;
        }

        var k = (int)w.Dims[0];
        if (x is not null)
        {
            if (x.Axis == x.Rank - 1 && x.Ids.Length == k)
            {
                Edits.Add(new ChannelEdit(i, 1, 0, x.Ids, EditKind.Slice, EditRole.Consumer));
            }
            else
            {
                Block(x, $"'{label}' reads it along another axis");
            }
        }

        var rank = _shapes.GetValueOrDefault(n.Input[0])?.Length ?? x?.Rank;
        if (rank is not { } r || r < 2)
        {
            return;
        }

        var ids = NewIds((int)w.Dims[1]);
        Values[n.Output[0]] = new TrackedValue(r - 1, r, ids);
        Producers.Add(new ChannelProducer(i, label, 1, 1, ids));
        Edits.Add(new ChannelEdit(i, 1, 1, ids, EditKind.Slice, EditRole.Producer));
    }

    private void Elementwise(int i, NodeProto n, string label)
    {
        var tracked = n.Input.Where(Values.ContainsKey).Select(v => Values[v]).ToList();
        if (tracked.Count == 0)
        {
            return;
        }

        var first = tracked[0];
        var fromEnd = first.Rank - first.Axis;
        var outRank = _shapes.GetValueOrDefault(n.Output[0])?.Length ?? tracked.Max(static t => t.Rank);
        if (tracked.Any(t => t.Rank - t.Axis != fromEnd || t.Ids.Length != first.Ids.Length))
        {
            foreach (var t in tracked)
            {
                Block(t, $"meets channels of another size or axis at '{label}'");
            }

            return;
        }

        foreach (var t in tracked.Skip(1))
        {
            for (var c = 0; c < first.Ids.Length; c++)
            {
                Union(first.Ids[c], t.Ids[c]);
            }
        }

        var count = first.Ids.Length;
        for (var slot = 0; slot < n.Input.Count; slot++)
        {
            var name = n.Input[slot];
            if (Values.ContainsKey(name))
            {
                continue;
            }

            long[]? dims = _constants.TryGetValue(name, out var ct) ? ct.Dims.ToArray() : _shapes.GetValueOrDefault(name);
            if (dims is null)
            {
                Block(first, $"meets a value of unknown shape at '{label}'");
                return;
            }

            var pos = dims.Length - fromEnd;
            if (pos < 0 || dims[pos] == 1)
            {
                continue; // broadcast along the channel axis
            }

            if (ct is not null && dims[pos] == count && WeightTensors.IsFloat(ct))
            {
                Edits.Add(new ChannelEdit(i, slot, pos, first.Ids, EditKind.Slice, EditRole.Between));
            }
            else
            {
                Block(first, $"meets an activation with its own channels at '{label}'");
                return;
            }
        }

        Values[n.Output[0]] = new TrackedValue(outRank - fromEnd, outRank, first.Ids);
    }

    private void Concat(NodeProto n, string label)
    {
        var tracked = n.Input.Where(Values.ContainsKey).Select(v => Values[v]).ToList();
        if (tracked.Count == 0)
        {
            return;
        }

        var first = tracked[0];
        var axis = NodeAttributes.Int(n, "axis", 1);
        axis = axis < 0 ? axis + first.Rank : axis;
        if (tracked.Any(t => t.Axis != axis || t.Rank != first.Rank))
        {
            foreach (var t in tracked)
            {
                Block(t, $"is concatenated along another axis at '{label}'");
            }

            return;
        }

        var ids = new List<int>();
        foreach (var input in n.Input)
        {
            if (Values.TryGetValue(input, out var t))
            {
                ids.AddRange(t.Ids);
                continue;
            }

            var dims = _constants.TryGetValue(input, out var ct) ? ct.Dims.ToArray() : _shapes.GetValueOrDefault(input);
            if (dims is null || dims.Length != first.Rank || _shapesAlt.GetValueOrDefault(input)?[axis] != dims[axis] && ct is null)
            {
                foreach (var tt in tracked)
                {
                    Block(tt, $"is concatenated at '{label}' with a value of unknown channel count");
                }

                return;
            }

            // Channels of an input that is not tracked stay; their ids only hold the offsets.
            var fixedIds = NewIds((int)dims[axis]);
            foreach (var id in fixedIds)
            {
                _blocked.TryAdd(id, $"is concatenated at '{label}' with channels it cannot prune");
            }

            ids.AddRange(fixedIds);
        }

        Values[n.Output[0]] = new TrackedValue((int)axis, first.Rank, [.. ids]);
    }

    private void Flatten(int i, NodeProto n, TrackedValue? x, string label)
    {
        if (x is null)
        {
            return;
        }

        var shape = _shapes.GetValueOrDefault(n.Input[0]);
        var alt = _shapesAlt.GetValueOrDefault(n.Input[0]);
        if (x.Axis != 1 || shape is null || alt is null || shape.Length != x.Rank)
        {
            Block(x, $"is reshaped by '{label}' in a way it cannot follow");
            return;
        }

        long spatial = 1, spatialAlt = 1;
        for (var d = 2; d < shape.Length; d++)
        {
            spatial *= shape[d];
            spatialAlt *= alt[d];
        }

        if (spatial != spatialAlt)
        {
            Block(x, $"is flattened by '{label}' with a spatial size that depends on the input size");
            return;
        }

        var features = x.Ids.Length * spatial;
        var reshapeTarget = false;
        if (n.OpType == "Flatten")
        {
            if (NodeAttributes.Int(n, "axis", 1) != 1)
            {
                Block(x, $"is flattened by '{label}' at another axis");
                return;
            }
        }
        else
        {
            var target = n.Input.Count > 1 ? ConstantInts(n.Input[1]) : null;
            if (target is not { Length: 2 } || target[0] is not (0 or -1) && target[0] != shape[0] || target[1] != -1 && target[1] != features || target[0] == -1 && target[1] == -1)
            {
                Block(x, $"is reshaped by '{label}' to something other than [batch, features]");
                return;
            }

            reshapeTarget = target[1] != -1;
        }

        var ids = new int[features];
        for (var c = 0; c < x.Ids.Length; c++)
        {
            Array.Fill(ids, x.Ids[c], (int)(c * spatial), (int)spatial);
        }

        if (reshapeTarget)
        {
            Edits.Add(new ChannelEdit(i, 1, 1, ids, EditKind.ReshapeTarget, EditRole.Between));
        }

        Values[n.Output[0]] = new TrackedValue(1, 2, ids);
    }

    private void Squeeze(NodeProto n, TrackedValue? x, string label)
    {
        if (x is null)
        {
            return;
        }

        var axes = NodeAttributes.Ints(n, "axes") ?? (n.Input.Count > 1 ? ConstantInts(n.Input[1]) : null);
        var squeeze = n.OpType == "Squeeze";
        if (axes is null)
        {
            Block(x, $"is squeezed by '{label}' without explicit axes");
            return;
        }

        var rank = squeeze ? x.Rank : x.Rank + axes.Length;
        var normalized = axes.Select(a => a < 0 ? a + rank : a).ToArray();
        if (normalized.Any(a => a <= x.Axis))
        {
            Block(x, $"is re-axed by '{label}' before its channel axis");
            return;
        }

        Values[n.Output[0]] = x with { Rank = squeeze ? x.Rank - axes.Length : rank };
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
