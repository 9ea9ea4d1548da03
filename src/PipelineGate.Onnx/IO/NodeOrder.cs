using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.IO;

/// <summary>
/// Stable topological order of a graph's nodes. ONNX Runtime sorts nodes itself, so a model whose node
/// list is not in topological order (fp16 converters commonly append Cast nodes at the end) loads and
/// runs; PipelineGate does the same before it reads a graph in order (validation, compute estimate) and
/// before any rewrite. Stable: among the nodes that are ready, the one listed first goes first, so a
/// graph already in order keeps its order exactly. A node depends on its inputs and on the outer-scope
/// names its subgraphs (If/Loop/Scan bodies) read.
/// </summary>
public static class NodeOrder
{
    /// <summary>The order of one graph: node indices in topological order, then (in list order) any nodes caught in a cycle.</summary>
    public sealed record Result(int[] Order, int[] Cyclic)
    {
        /// <summary>True when the node list already is in topological order.</summary>
        public bool IsIdentity { get; } = Order.Select(static (o, i) => o == i).All(static x => x);
    }

    /// <summary>Sorts the nodes of <paramref name="graph"/> (only its own node list; subgraphs are sorted separately).</summary>
    public static Result Sort(GraphProto graph)
    {
        var nodes = graph.Node;
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < nodes.Count; k++)
        {
            foreach (var o in nodes[k].Output)
            {
                if (!string.IsNullOrEmpty(o))
                {
                    producer.TryAdd(o, k);
                }
            }
        }

        var dependents = new List<int>[nodes.Count];
        var waiting = new int[nodes.Count];
        for (var k = 0; k < nodes.Count; k++)
        {
            var deps = new HashSet<int>();
            foreach (var name in Needs(nodes[k]))
            {
                if (producer.TryGetValue(name, out var p) && p != k)
                {
                    deps.Add(p);
                }
            }

            waiting[k] = deps.Count;
            foreach (var p in deps)
            {
                (dependents[p] ??= []).Add(k);
            }
        }

        var ready = new PriorityQueue<int, int>();
        for (var k = 0; k < nodes.Count; k++)
        {
            if (waiting[k] == 0)
            {
                ready.Enqueue(k, k);
            }
        }

        var order = new List<int>(nodes.Count);
        while (ready.TryDequeue(out var k, out _))
        {
            order.Add(k);
            foreach (var d in dependents[k] ?? [])
            {
                if (--waiting[d] == 0)
                {
                    ready.Enqueue(d, d);
                }
            }
        }

        var cyclic = Enumerable.Range(0, nodes.Count).Where(k => waiting[k] > 0).ToArray();
        order.AddRange(cyclic);
        return new Result([.. order], cyclic);
    }

    /// <summary>
    /// The model itself when every graph is already in order, else a copy whose graphs (main, subgraphs,
    /// training graphs) are stably sorted. Nodes caught in a cycle keep their place at the end; the
    /// validator reports them. The given model is never changed.
    /// </summary>
    public static ModelFile Sorted(ModelFile file)
    {
        if (ModelWalker.Graphs(file.Model).All(static g => Sort(g).IsIdentity))
        {
            return file;
        }

        var copy = file.Clone();
        foreach (var g in ModelWalker.Graphs(copy.Model).ToArray())
        {
            var result = Sort(g);
            if (!result.IsIdentity)
            {
                var sorted = result.Order.Select(k => g.Node[k]).ToArray();
                g.Node.Clear();
                g.Node.Add(sorted);
            }
        }

        return copy;
    }

    /// <summary>The names a node reads: its inputs, and the free names of its subgraphs (values of the enclosing scopes).</summary>
    public static IEnumerable<string> Needs(NodeProto node)
    {
        foreach (var i in node.Input)
        {
            if (!string.IsNullOrEmpty(i))
            {
                yield return i;
            }
        }

        foreach (var sub in ModelWalker.SubgraphsOf([node]))
        {
            foreach (var name in FreeNames(sub))
            {
                yield return name;
            }
        }
    }

    private static HashSet<string> FreeNames(GraphProto graph)
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        defined.UnionWith(graph.Input.Select(static i => i.Name));
        defined.UnionWith(graph.Initializer.Select(static t => t.Name));
        defined.UnionWith(graph.SparseInitializer.Select(static s => s.Values?.Name ?? string.Empty));
        defined.UnionWith(graph.Node.SelectMany(static n => n.Output));
        var free = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in graph.Node)
        {
            foreach (var name in Needs(n))
            {
                if (!defined.Contains(name))
                {
                    free.Add(name);
                }
            }
        }

        return free;
    }
}
