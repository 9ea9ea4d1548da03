using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// Who produces and who reads each value of a graph, and its constants: the lookups the head and FFN pattern
/// matchers walk with. Built once per model, before any edit.
/// </summary>
internal sealed class GraphIndex
{
    private readonly Dictionary<string, int> producer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(int Node, int Slot)>> readers = new(StringComparer.Ordinal);
    private readonly HashSet<string> graphOutputs;
    private readonly HashSet<string> subgraphReads = new(StringComparer.Ordinal);

    public GraphIndex(ModelFile file)
    {
        File = file;
        Graph = file.Graph;
        Constants = GraphConstants.Collect(Graph);
        for (var i = 0; i < Graph.Node.Count; i++)
        {
            var n = Graph.Node[i];
            foreach (var o in n.Output)
            {
                producer[o] = i;
            }

            for (var s = 0; s < n.Input.Count; s++)
            {
                if (n.Input[s].Length == 0)
                {
                    continue;
                }

                if (!readers.TryGetValue(n.Input[s], out var list))
                {
                    readers[n.Input[s]] = list = [];
                }

                list.Add((i, s));
            }
        }

        foreach (var sub in ModelWalker.SubgraphsOf(Graph.Node).SelectMany(ModelWalker.GraphAndSubgraphs))
        {
            foreach (var n in sub.Node)
            {
                subgraphReads.UnionWith(n.Input);
            }
        }

        graphOutputs = Graph.Output.Select(static o => o.Name).ToHashSet(StringComparer.Ordinal);
    }

    public ModelFile File { get; }

    public GraphProto Graph { get; }

    public Dictionary<string, TensorProto> Constants { get; }

    public NodeProto? Producer(string value) =>
        producer.TryGetValue(value, out var i) ? Graph.Node[i] : null;

    public int ProducerIndex(string value) => producer.GetValueOrDefault(value, -1);

    public IReadOnlyList<(int Node, int Slot)> Readers(string value) =>
        readers.TryGetValue(value, out var list) ? list : [];

    /// <summary>A value whose every reader is known: not a graph output and not read inside a subgraph.</summary>
    public bool IsInternal(string value) => !graphOutputs.Contains(value) && !subgraphReads.Contains(value);

    public bool IsConstant(string value) => Constants.ContainsKey(value);

    /// <summary>A constant float weight of the given rank, or null.</summary>
    public TensorProto? FloatWeight(string value, int rank) =>
        Constants.TryGetValue(value, out var t) && WeightTensors.IsFloat(t) && t.Dims.Count == rank ? t : null;

    /// <summary>A constant with a single element (a scalar or shape [1], [1, 1], …).</summary>
    public bool IsScalarConstant(string value) =>
        Constants.TryGetValue(value, out var t) && t.Dims.Aggregate(1L, static (a, d) => a * d) == 1;

    /// <summary>The values of a constant integer tensor, or null.</summary>
    public long[]? Int64s(string value)
    {
        if (!Constants.TryGetValue(value, out var t) || t.DataType is not ((int)TensorElementType.Int64 or (int)TensorElementType.Int32))
        {
            return null;
        }

        return TensorProtoConverter.ToTensorData(t, File).ToDoubleArray().Select(static d => (long)d).ToArray();
    }

    /// <summary>
    /// True when every reader of <paramref name="value"/> except <paramref name="expected"/> is a Shape whose output
    /// is only gathered at constant indices outside <paramref name="changedAxes"/> (exporters read batch and sequence
    /// sizes that way), so shrinking those axes changes nothing they see.
    /// </summary>
    public bool OnlyReadBy(string value, int expected, int rank, params int[] changedAxes)
    {
        if (!IsInternal(value))
        {
            return false;
        }

        foreach (var (node, _) in Readers(value))
        {
            if (node == expected)
            {
                continue;
            }

            var n = Graph.Node[node];
            if (n.OpType != "Shape" || n.Attribute.Count > 0 || !IsInternal(n.Output[0]))
            {
                return false;
            }

            foreach (var (g, slot) in Readers(n.Output[0]))
            {
                var gather = Graph.Node[g];
                if (gather.OpType != "Gather" || slot != 0 || Attribute(gather, "axis", 0) != 0
                    || Int64s(gather.Input[1]) is not [var index]
                    || changedAxes.Contains((int)(index < 0 ? index + rank : index)))
                {
                    return false;
                }
            }
        }

        return Readers(value).Count(r => r.Node == expected) == 1;
    }

    /// <summary>The one reader of a value, when it has exactly one apart from shape reads outside the changed axes.</summary>
    public NodeProto? SoleReader(string value, int rank, params int[] changedAxes)
    {
        var candidates = Readers(value).Where(r => Graph.Node[r.Node].OpType != "Shape").ToArray();
        return candidates.Length == 1 && OnlyReadBy(value, candidates[0].Node, rank, changedAxes) ? Graph.Node[candidates[0].Node] : null;
    }

    public int IndexOf(NodeProto node) => ProducerIndex(node.Output[0]);

    public static long Attribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    public static long[]? Ints(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? [.. a.Ints] : null;
}
