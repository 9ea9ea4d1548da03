using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Outer-scope references of subgraphs: an If/Loop body may use any value of the enclosing graph by
/// name, without it being an input of the If/Loop node. A pass that changes the type of an outer value
/// must find these references (at any depth) and point them at a value of the type the body expects.
/// </summary>
internal static class SubgraphScope
{
    /// <summary>Names a graph (and its nested subgraphs) uses but does not define.</summary>
    public static HashSet<string> FreeVariables(GraphProto graph)
    {
        var defined = Defined(graph);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in graph.Node)
        {
            used.UnionWith(n.Input.Where(static i => !string.IsNullOrEmpty(i)));
        }

        used.UnionWith(graph.Output.Select(static o => o.Name));
        foreach (var sub in ModelWalker.SubgraphsOf(graph.Node))
        {
            used.UnionWith(FreeVariables(sub));
        }

        used.ExceptWith(defined);
        return used;
    }

    /// <summary>Free variables of every subgraph a node holds.</summary>
    public static HashSet<string> FreeVariables(NodeProto node)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sub in ModelWalker.SubgraphsOf([node]))
        {
            result.UnionWith(FreeVariables(sub));
        }

        return result;
    }

    /// <summary>Renames outer references to <paramref name="from"/> in the node's subgraphs (not names they define themselves).</summary>
    public static void RenameFree(NodeProto node, string from, string to)
    {
        foreach (var sub in ModelWalker.SubgraphsOf([node]))
        {
            RenameFree(sub, from, to);
        }
    }

    private static void RenameFree(GraphProto graph, string from, string to)
    {
        if (Defined(graph).Contains(from))
        {
            return; // shadowed: references below this level are to the inner value
        }

        foreach (var n in graph.Node)
        {
            for (var i = 0; i < n.Input.Count; i++)
            {
                if (n.Input[i] == from)
                {
                    n.Input[i] = to;
                }
            }

            RenameFree(n, from, to);
        }

        foreach (var o in graph.Output.Where(o => o.Name == from))
        {
            o.Name = to;
        }
    }

    private static HashSet<string> Defined(GraphProto graph)
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        defined.UnionWith(graph.Input.Select(static i => i.Name));
        defined.UnionWith(graph.Initializer.Select(static i => i.Name));
        defined.UnionWith(graph.SparseInitializer.Where(static s => s.Values is not null).Select(static s => s.Values.Name));
        foreach (var n in graph.Node)
        {
            defined.UnionWith(n.Output);
        }

        return defined;
    }
}
