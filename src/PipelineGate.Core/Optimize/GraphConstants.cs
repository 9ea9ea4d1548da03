using PipelineGate.Onnx.Proto;

namespace PipelineGate.Optimize;

/// <summary>
/// The constant tensors of a graph by value name: initializers and the outputs of Constant nodes
/// (exporters store weights either way, e.g. PaddleOCR and Silero use Constant nodes), so passes that
/// look for weights do not silently find none.
/// </summary>
internal static class GraphConstants
{
    public static Dictionary<string, TensorProto> Collect(GraphProto graph)
    {
        var result = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var t in graph.Initializer)
        {
            result[t.Name] = t;
        }

        foreach (var n in graph.Node)
        {
            if (n.OpType == "Constant" && n.Output.Count == 1 && n.Attribute.FirstOrDefault(static a => a.Name == "value")?.T is { } value)
            {
                result[n.Output[0]] = value;
            }
        }

        return result;
    }

    /// <summary>Removes initializers and Constant nodes whose values no node, subgraph or graph output uses any more.</summary>
    public static int RemoveUnused(GraphProto graph)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in graph.Node)
        {
            used.UnionWith(n.Input);
        }

        foreach (var sub in Onnx.IO.ModelWalker.SubgraphsOf(graph.Node).SelectMany(Onnx.IO.ModelWalker.GraphAndSubgraphs))
        {
            foreach (var n in sub.Node)
            {
                used.UnionWith(n.Input);
            }
        }

        used.UnionWith(graph.Output.Select(static o => o.Name));
        var removed = 0;
        for (var i = graph.Initializer.Count - 1; i >= 0; i--)
        {
            if (!used.Contains(graph.Initializer[i].Name) && graph.Input.All(inp => inp.Name != graph.Initializer[i].Name))
            {
                graph.Initializer.RemoveAt(i);
                removed++;
            }
        }

        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            if (graph.Node[i].OpType == "Constant" && graph.Node[i].Output.All(o => !used.Contains(o)))
            {
                graph.Node.RemoveAt(i);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>A name not used by any value in the graph, built from a stem.</summary>
    public static string UniqueName(HashSet<string> taken, string stem)
    {
        var name = stem;
        for (var i = 1; !taken.Add(name); i++)
        {
            name = $"{stem}_{i}";
        }

        return name;
    }

    public static HashSet<string> AllNames(GraphProto graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        names.UnionWith(graph.Input.Select(static i => i.Name));
        names.UnionWith(graph.Initializer.Select(static i => i.Name));
        foreach (var n in graph.Node)
        {
            names.UnionWith(n.Output);
            names.Add(n.Name);
        }

        return names;
    }
}
