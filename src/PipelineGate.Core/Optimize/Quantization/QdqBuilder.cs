using System.Runtime.InteropServices;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Rewrites a float model into QDQ form for a chosen set of nodes, as often as the fallback search
/// needs (weights are quantized once and reused). Weights become int8 symmetric initializers (per
/// channel along the node's axis, or per tensor) followed by DequantizeLinear; each activation tensor
/// around a quantized node gets a QuantizeLinear→DequantizeLinear pair (uint8 asymmetric by default;
/// int8 and/or symmetric on request, see QuantizationMath.ActivationParameters) right after it
/// is produced, and every consumer reads the dequantized value. ORT then fuses DQ→Conv→Q into
/// QLinearConv (and MatMul into QLinearMatMul). Biases stay float.
/// <para>
/// A node kept in float is left exactly as it was, and so are the activation tensors it reads or
/// writes: they get no Q→DQ pair even when a quantized neighbour touches them, so that a kept node sees
/// float values (the neighbour then runs with a float input or output and is not fused).
/// </para>
/// <para>
/// A node in the 16-bit set (the uint16 fallback tier) keeps its int8 weight, but every activation tensor
/// it reads or writes gets a com.microsoft QuantizeLinear→DequantizeLinear pair in uint16 (65,536 levels,
/// asymmetric) instead of uint8. ORT runs these (not fused into QLinearConv, which is 8-bit only), so the
/// node computes in float from int8 weights: its size stays that of int8, its activation error is 256×
/// smaller. A node kept in float wins over a 16-bit neighbour on a shared tensor.
/// </para>
/// </summary>
internal sealed class QdqBuilder
{
    private readonly ModelFile _model;
    private readonly IReadOnlyList<QuantizableNode> _nodes;
    private readonly IReadOnlyDictionary<string, (float Min, float Max)> _ranges;
    private readonly Dictionary<string, QuantizedWeight> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _tensorNames = new(StringComparer.Ordinal);

    private readonly bool _signedActivations;
    private readonly bool _symmetricActivations;

    public QdqBuilder(ModelFile model, IReadOnlyList<QuantizableNode> nodes, IReadOnlyDictionary<string, (float Min, float Max)> ranges, QuantizeOptions options)
    {
        var perChannel = options.PerChannel;
        _signedActivations = options.ActivationType == "int8";
        _symmetricActivations = options.SymmetricActivations;
        _model = model;
        _nodes = nodes;
        _ranges = ranges;
        var graph = model.Model.Graph;
        var constants = GraphConstants.Collect(graph);
        var taken = GraphConstants.AllNames(graph);
        foreach (var node in nodes)
        {
            if (_weights.ContainsKey(node.Weight))
            {
                continue;
            }

            var w = constants[node.Weight];
            var data = TensorProtoConverter.ToTensorData(w, model, $"'{node.Weight}'").AsSpan<float>();
            var axis = perChannel ? node.Axis : (int?)null;
            var (values, scales) = WeightQuantizer.Quantize(data, w.Dims, axis);
            var names = new[] { "_int8", "_scale", "_zero_point", "_dequantized", "_DequantizeLinear" }.Select(s => GraphConstants.UniqueName(taken, node.Weight + s)).ToArray();
            _weights[node.Weight] = new QuantizedWeight(values, scales, w.Dims.ToArray(), axis, names);
        }

        foreach (var t in nodes.SelectMany(static n => n.Output is null ? new[] { n.Activation } : new[] { n.Activation, n.Output }).Distinct())
        {
            _tensorNames[t] = new[] { "_quantized", "_dequantized", "_scale", "_zero_point", "_QuantizeLinear", "_DequantizeLinear" }
                .Select(s => GraphConstants.UniqueName(taken, t + s)).ToArray();
        }
    }

    public IReadOnlyList<QuantizableNode> Nodes => _nodes;

    /// <summary>The share of all candidates' weight values that a node's weight holds (0..1).</summary>
    public double WeightShare(QuantizableNode node)
    {
        var total = _nodes.Select(static n => n.Weight).Distinct(StringComparer.Ordinal).Sum(w => (double)_weights[w].Values.LongLength);
        return total == 0 ? 0 : _weights[node.Weight].Values.LongLength / total;
    }

    /// <summary>
    /// Builds the QDQ model with every candidate quantized except the nodes labelled in <paramref name="keep"/>.
    /// With <paramref name="isolateKept"/> false, tensors of kept nodes are still quantized when a quantized node
    /// touches them (used to measure one node's sensitivity: that node with its own input and output).
    /// </summary>
    public QdqBuild Build(IReadOnlySet<string> keep, bool isolateKept = true) => Build(keep, EmptySet, isolateKept);

    /// <summary>As above; the nodes labelled in <paramref name="wide"/> keep int8 weights with uint16 activations.</summary>
    public QdqBuild Build(IReadOnlySet<string> keep, IReadOnlySet<string> wide, bool isolateKept = true)
    {
        var file = _model.Clone();
        var graph = file.Model.Graph;
        var quantized = _nodes.Where(n => !keep.Contains(n.Label)).ToList();
        var blocked = _nodes.Where(n => isolateKept && keep.Contains(n.Label)).SelectMany(static n => n.Touched).ToHashSet(StringComparer.Ordinal);
        var tensors = quantized.SelectMany(static n => n.Output is null ? new[] { n.Activation } : new[] { n.Activation, n.Output })
            .Where(t => !blocked.Contains(t) && _ranges.ContainsKey(t)).ToHashSet(StringComparer.Ordinal);
        var sixteen = quantized.Where(n => wide.Contains(n.Label)).SelectMany(static n => n.Touched).Where(tensors.Contains).ToHashSet(StringComparer.Ordinal);

        var prefix = new List<NodeProto>();
        long before = 0, after = 0;
        foreach (var name in quantized.Select(static n => n.Weight).Distinct(StringComparer.Ordinal))
        {
            var w = _weights[name];
            var n = w.Names;
            graph.Initializer.Add(DynamicQuantizer.Tensor(n[0], TensorElementType.Int8, w.Dims, MemoryMarshal.AsBytes(w.Values.AsSpan()).ToArray()));
            long[] scaleDims = w.Axis is null ? [] : [w.Scales.Length];
            graph.Initializer.Add(DynamicQuantizer.Tensor(n[1], TensorElementType.Float, scaleDims, MemoryMarshal.AsBytes(w.Scales.AsSpan()).ToArray()));
            graph.Initializer.Add(DynamicQuantizer.Tensor(n[2], TensorElementType.Int8, scaleDims, new byte[w.Scales.Length]));
            var dq = Node("DequantizeLinear", n[4], [n[0], n[1], n[2]], n[3]);
            if (w.Axis is { } axis)
            {
                dq.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = axis });
            }

            prefix.Add(dq);
            before += w.Values.LongLength * 4;
            after += w.Values.LongLength + (w.Scales.Length * 5L);
        }

        foreach (var node in quantized)
        {
            graph.Node[node.Index].Input[1] = _weights[node.Weight].Names[3];
        }

        foreach (var input in graph.Input.Where(i => tensors.Contains(i.Name)))
        {
            prefix.AddRange(QdqPair(graph, input.Name, sixteen.Contains(input.Name)));
        }

        var rewritten = new List<NodeProto>(graph.Node.Count + prefix.Count + (tensors.Count * 2));
        rewritten.AddRange(prefix);
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (tensors.Contains(node.Input[i]))
                {
                    node.Input[i] = _tensorNames[node.Input[i]][1];
                }
            }

            rewritten.Add(node);
            foreach (var output in node.Output.Where(tensors.Contains))
            {
                rewritten.AddRange(QdqPair(graph, output, sixteen.Contains(output)));
            }
        }

        graph.Node.Clear();
        graph.Node.Add(rewritten);
        GraphConstants.RemoveUnused(graph);
        if (sixteen.Count > 0)
        {
            QuantizationGuards.EnsureOpset(file.Model, OnnxDomains.Microsoft, 1);
        }

        return new QdqBuild(file, quantized, tensors.Count, before, after) { WideTensors = sixteen.Count };
    }

    private NodeProto[] QdqPair(GraphProto graph, string tensor, bool sixteenBits)
    {
        var n = _tensorNames[tensor];
        var (min, max) = _ranges[tensor];
        if (sixteenBits)
        {
            var (s16, z16) = QuantizationMath.UInt16Parameters(min, max);
            graph.Initializer.Add(DynamicQuantizer.Tensor(n[2], TensorElementType.Float, [], BitConverter.GetBytes(s16)));
            graph.Initializer.Add(DynamicQuantizer.Tensor(n[3], TensorElementType.UInt16, [], BitConverter.GetBytes(z16)));
            var q = Node("QuantizeLinear", n[4], [tensor, n[2], n[3]], n[0]);
            var dq = Node("DequantizeLinear", n[5], [n[0], n[2], n[3]], n[1]);
            q.Domain = dq.Domain = OnnxDomains.Microsoft;
            return [q, dq];
        }

        var (scale, zero) = QuantizationMath.ActivationParameters(min, max, _signedActivations, _symmetricActivations);
        graph.Initializer.Add(DynamicQuantizer.Tensor(n[2], TensorElementType.Float, [], BitConverter.GetBytes(scale)));
        graph.Initializer.Add(DynamicQuantizer.Tensor(n[3], _signedActivations ? TensorElementType.Int8 : TensorElementType.UInt8, [], [unchecked((byte)zero)]));
        return [Node("QuantizeLinear", n[4], [tensor, n[2], n[3]], n[0]), Node("DequantizeLinear", n[5], [n[0], n[2], n[3]], n[1])];
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(output);
        return node;
    }

    private static readonly HashSet<string> EmptySet = new(StringComparer.Ordinal);

    private sealed record QuantizedWeight(sbyte[] Values, float[] Scales, long[] Dims, int? Axis, string[] Names);
}
