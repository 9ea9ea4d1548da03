using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.Facts;

/// <summary>
/// The shapes <see cref="ShapeEnvironment"/> derives for every value of the main graph, for passes
/// outside this assembly (e.g. pruning, which needs ranks and spatial sizes). Symbolic input dimensions
/// take the given values, else 1; compare two calls with different values to tell which dimensions
/// depend on them.
/// </summary>
public static class StaticShapes
{
    public static IReadOnlyDictionary<string, long[]> Infer(GraphProto graph, IReadOnlyDictionary<string, long>? fixedDims = null)
    {
        var env = new ShapeEnvironment(graph, fixedDims);
        var result = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var n in graph.Node)
        {
            if (n.OpType == "Constant" && n.Output.Count == 1 && NodeAttributes.Find(n, "value")?.T is { } value)
            {
                env.AddConstant(n.Output[0], value);
            }
            else if (n.Output.Count > 0)
            {
                env.Set(n.Output[0], ShapeRules.Infer(n, env));
            }
        }

        foreach (var name in graph.Input.Select(static i => i.Name).Concat(graph.Node.SelectMany(static n => n.Output)))
        {
            if (env.Get(name) is { } shape)
            {
                result[name] = shape;
            }
        }

        return result;
    }

    /// <summary>The symbolic dimension names of the graph's inputs (e.g. batch, height).</summary>
    public static IReadOnlyList<string> Symbols(GraphProto graph) =>
        [.. graph.Input.SelectMany(static i => i.Type?.TensorType?.Shape?.Dim ?? []).Where(static d => !string.IsNullOrEmpty(d.DimParam)).Select(static d => d.DimParam).Distinct(StringComparer.Ordinal)];
}
