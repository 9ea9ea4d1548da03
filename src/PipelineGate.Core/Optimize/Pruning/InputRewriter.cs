using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// Gives one input of one node a new constant (a new initializer under a fresh name), so a weight or shape shared
/// with other nodes stays as it is for them. Unused originals are removed at the end of the pass.
/// </summary>
internal sealed class InputRewriter(GraphIndex g)
{
    private readonly HashSet<string> names = GraphConstants.AllNames(g.Graph);

    public float[] Read(int node, int slot) => WeightTensors.Read(g.Constants[g.Graph.Node[node].Input[slot]], g.File);

    public long[] Dims(int node, int slot) => [.. g.Constants[g.Graph.Node[node].Input[slot]].Dims];

    /// <summary>Keeps the given positions along an axis of a constant float input.</summary>
    public void Slice(int node, int slot, int axis, IReadOnlyList<int> keep)
    {
        var sliced = WeightTensors.Slice(Read(node, slot), Dims(node, slot), axis, keep, out var dims);
        Replace(node, slot, TensorData.Create(sliced, dims));
    }

    public void Replace(int node, int slot, float[] values, long[] dims) => Replace(node, slot, TensorData.Create(values, dims));

    /// <summary>Sets elements of a constant integer input (a Reshape target or a piece of one).</summary>
    public void SetInts(int node, int slot, IEnumerable<(int Position, long Value)> changes)
    {
        var t = g.Constants[g.Graph.Node[node].Input[slot]];
        var values = Onnx.IO.TensorProtoConverter.ToTensorData(t, g.File).ToDoubleArray().Select(static d => (long)d).ToArray();
        foreach (var (p, v) in changes)
        {
            values[p] = v;
        }

        Replace(node, slot, TensorData.Create(values, [.. t.Dims]));
    }

    private void Replace(int node, int slot, TensorData data)
    {
        var n = g.Graph.Node[node];
        var name = GraphConstants.UniqueName(names, n.Input[slot] + "_pruned");
        var replacement = Onnx.IO.TensorProtoConverter.FromTensorData(data, name);
        g.Graph.Initializer.Add(replacement);
        g.Constants[name] = replacement;
        n.Input[slot] = name;
    }

    /// <summary>Drops recorded shapes of values that changed width (ONNX Runtime infers them again) and constants nothing reads.</summary>
    public void Finish(IEnumerable<string> changed)
    {
        var set = changed.ToHashSet(StringComparer.Ordinal);
        for (var i = g.Graph.ValueInfo.Count - 1; i >= 0; i--)
        {
            if (set.Contains(g.Graph.ValueInfo[i].Name))
            {
                g.Graph.ValueInfo.RemoveAt(i);
            }
        }

        GraphConstants.RemoveUnused(g.Graph);
    }
}
