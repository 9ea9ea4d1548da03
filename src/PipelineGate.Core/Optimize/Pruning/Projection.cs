namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// A linear layer as exporters write it: MatMul(x, W[in, out]) with a constant weight, optionally followed by
/// Add of a constant bias [out] (on either side). <see cref="Output"/> is the value after the bias.
/// </summary>
internal sealed record Projection(int MatMul, int BiasAdd, int BiasSlot, string Output, long Inputs, long Outputs)
{
    public const int NoBias = -1;

    /// <summary>The projection whose MatMul is <paramref name="matMul"/>, or null when its weight is not a constant 2-D float.</summary>
    public static Projection? At(GraphIndex g, int matMul)
    {
        var node = g.Graph.Node[matMul];
        if (node.OpType != "MatMul" || g.IsConstant(node.Input[0]) || g.FloatWeight(node.Input[1], 2) is not { } w)
        {
            return null;
        }

        var readers = g.Readers(node.Output[0]);
        if (g.IsInternal(node.Output[0]) && readers.Count == 1 && g.Graph.Node[readers[0].Node] is { OpType: "Add" } add)
        {
            var biasSlot = 1 - readers[0].Slot;
            if (g.FloatWeight(add.Input[biasSlot], 1) is { } b && b.Dims[0] == w.Dims[1])
            {
                return new Projection(matMul, readers[0].Node, biasSlot, add.Output[0], w.Dims[0], w.Dims[1]);
            }
        }

        return new Projection(matMul, NoBias, 0, node.Output[0], w.Dims[0], w.Dims[1]);
    }

    /// <summary>The projection that produces <paramref name="value"/> (after its bias), or null.</summary>
    public static Projection? Producing(GraphIndex g, string value)
    {
        var p = g.ProducerIndex(value);
        if (p < 0)
        {
            return null;
        }

        var node = g.Graph.Node[p];
        if (node.OpType == "Add")
        {
            foreach (var input in node.Input)
            {
                var m = g.ProducerIndex(input);
                if (m >= 0 && At(g, m) is { } viaBias && viaBias.Output == value)
                {
                    return viaBias;
                }
            }

            return null;
        }

        return node.OpType == "MatMul" && At(g, p) is { } plain && plain.Output == value ? plain : null;
    }

    /// <summary>The value names of this layer that change width when its outputs are sliced.</summary>
    public IEnumerable<string> Values(GraphIndex g)
    {
        yield return g.Graph.Node[MatMul].Output[0];
        if (BiasAdd != NoBias)
        {
            yield return g.Graph.Node[BiasAdd].Output[0];
        }
    }
}
