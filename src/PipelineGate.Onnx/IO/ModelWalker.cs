using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.IO;

/// <summary>
/// Visits every graph and every tensor a model holds: the main graph, subgraphs in node attributes
/// (If/Loop/Scan bodies, at any depth), functions and training graphs. Weights hide in all of these
/// (exporters store them as Constant nodes inside subgraphs too), so every pass that looks at tensors
/// goes through here rather than looking at <c>graph.initializer</c> alone.
/// </summary>
public static class ModelWalker
{
    /// <summary>All graphs, main graph first, then subgraphs depth-first.</summary>
    public static IEnumerable<GraphProto> Graphs(ModelProto model)
    {
        if (model.Graph is not null)
        {
            foreach (var g in GraphAndSubgraphs(model.Graph))
            {
                yield return g;
            }
        }

        foreach (var t in model.TrainingInfo)
        {
            foreach (var root in new[] { t.Initialization, t.Algorithm })
            {
                if (root is null)
                {
                    continue;
                }

                foreach (var g in GraphAndSubgraphs(root))
                {
                    yield return g;
                }
            }
        }
    }

    /// <summary>A graph and the subgraphs of its nodes, depth-first.</summary>
    public static IEnumerable<GraphProto> GraphAndSubgraphs(GraphProto graph)
    {
        var stack = new Stack<GraphProto>();
        stack.Push(graph);
        while (stack.Count > 0)
        {
            var g = stack.Pop();
            yield return g;
            foreach (var sub in SubgraphsOf(g.Node).Reverse())
            {
                stack.Push(sub);
            }
        }
    }

    /// <summary>Subgraphs directly held by the attributes of these nodes.</summary>
    public static IEnumerable<GraphProto> SubgraphsOf(IEnumerable<NodeProto> nodes)
    {
        foreach (var n in nodes)
        {
            foreach (var a in n.Attribute)
            {
                if (a.G is not null)
                {
                    yield return a.G;
                }

                foreach (var g in a.Graphs)
                {
                    yield return g;
                }
            }
        }
    }

    /// <summary>Every tensor with its owner described for messages (e.g. "initializer 'conv1.weight'").</summary>
    public static IEnumerable<(TensorProto Tensor, string Where)> Tensors(ModelProto model)
    {
        foreach (var g in Graphs(model))
        {
            foreach (var x in TensorsOf(g))
            {
                yield return x;
            }
        }

        foreach (var f in model.Functions)
        {
            foreach (var x in NodeTensors(f.Node, $"function '{f.Name}'"))
            {
                yield return x;
            }

            foreach (var sub in SubgraphsOf(f.Node))
            {
                foreach (var g in GraphAndSubgraphs(sub))
                {
                    foreach (var x in TensorsOf(g))
                    {
                        yield return x;
                    }
                }
            }
        }
    }

    /// <summary>Tensors held directly by one graph (not its subgraphs).</summary>
    public static IEnumerable<(TensorProto Tensor, string Where)> TensorsOf(GraphProto g)
    {
        foreach (var t in g.Initializer)
        {
            yield return (t, $"initializer '{t.Name}'");
        }

        foreach (var s in g.SparseInitializer)
        {
            if (s.Values is not null)
            {
                yield return (s.Values, $"sparse initializer '{s.Values.Name}' (values)");
            }

            if (s.Indices is not null)
            {
                yield return (s.Indices, $"sparse initializer '{s.Values?.Name}' (indices)");
            }
        }

        foreach (var x in NodeTensors(g.Node, $"graph '{g.Name}'"))
        {
            yield return x;
        }
    }

    private static IEnumerable<(TensorProto Tensor, string Where)> NodeTensors(IEnumerable<NodeProto> nodes, string scope)
    {
        foreach (var n in nodes)
        {
            foreach (var a in n.Attribute)
            {
                var where = $"attribute '{a.Name}' of node '{n.Name}' ({n.OpType}) in {scope}";
                if (a.T is not null)
                {
                    yield return (a.T, where);
                }

                foreach (var t in a.Tensors)
                {
                    yield return (t, where);
                }

                if (a.SparseTensor is not null)
                {
                    if (a.SparseTensor.Values is not null)
                    {
                        yield return (a.SparseTensor.Values, where);
                    }

                    if (a.SparseTensor.Indices is not null)
                    {
                        yield return (a.SparseTensor.Indices, where);
                    }
                }
            }
        }
    }
}
