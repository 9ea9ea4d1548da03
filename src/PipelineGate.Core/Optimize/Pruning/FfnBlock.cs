using System.Globalization;

namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// A feed-forward block: an up projection (MatMul [in, F] + bias), an activation made only of element-wise ops
/// whose other operands are scalar constants (Gelu as Div → Erf → Add → Mul → Mul, Relu, Sigmoid·x, …), and a
/// down MatMul [F, out] that alone reads it. Each of the F neurons then flows on its own, so it can be removed.
/// </summary>
internal sealed record FfnBlock(string Label, Projection Up, int Down, int Neurons, IReadOnlyList<string> Values)
{
    private static readonly string[] Unary = ["Erf", "Relu", "Sigmoid", "Tanh", "Gelu", "Neg", "Abs", "Exp", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "LeakyRelu", "Elu", "Selu", "Celu", "Identity", "Sqrt", "Reciprocal", "Mish"];

    private static readonly string[] Binary = ["Add", "Sub", "Mul", "Div", "Pow", "Max", "Min"];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Label} ({Neurons} neurons)");

    public static List<FfnBlock> Find(GraphIndex g, List<string> leftAlone)
    {
        var blocks = new List<FfnBlock>();
        for (var i = 0; i < g.Graph.Node.Count; i++)
        {
            if (Projection.At(g, i) is not { } up)
            {
                continue;
            }

            if (Match(g, up, out var why) is { } block)
            {
                blocks.Add(block);
            }
            else if (why is not null)
            {
                leftAlone.Add($"{AttentionMatcher.Label(g.Graph.Node[i], i)}: {why}");
            }
        }

        return blocks;
    }

    /// <summary>The block starting at an up projection; null (and <paramref name="why"/> null) when it is not one at all.</summary>
    private static FfnBlock? Match(GraphIndex g, Projection up, out string? why)
    {
        why = null;
        var chain = new List<string> { up.Output };
        var inChain = new HashSet<string>(StringComparer.Ordinal) { up.Output };
        var pending = new HashSet<string>(StringComparer.Ordinal);
        var down = -1;
        var nonlinear = false;
        for (var at = 0; at < chain.Count; at++)
        {
            var value = chain[at];
            if (!g.IsInternal(value) || g.Readers(value).Count == 0)
            {
                return null;
            }

            foreach (var (reader, slot) in g.Readers(value))
            {
                var n = g.Graph.Node[reader];
                if (n.OpType == "MatMul" && slot == 0 && g.FloatWeight(n.Input[1], 2) is { } w && w.Dims[0] == up.Outputs)
                {
                    if (down >= 0 && down != reader)
                    {
                        return null;
                    }

                    down = reader;
                    continue;
                }

                var elementwise = Unary.Contains(n.OpType) && n.Input.Count == 1
                    || Binary.Contains(n.OpType) && n.Input.Count == 2 && n.Input.All(x => g.IsScalarConstant(x) || !g.IsConstant(x))
                    || n.OpType == "Clip" && n.Input.Skip(1).All(x => x.Length == 0 || g.IsScalarConstant(x));
                if (!elementwise || n.Output.Count != 1)
                {
                    return null;
                }

                // The other operand of a binary op (x · Φ(x) in Gelu) must itself come from the up projection element-wise.
                pending.UnionWith(n.Input.Where(x => !g.IsConstant(x)));
                nonlinear |= !(n.OpType is "Add" or "Sub" or "Mul" or "Div" or "Identity" or "Neg");
                if (inChain.Add(n.Output[0]))
                {
                    chain.Add(n.Output[0]);
                }
            }
        }

        if (down < 0 || !nonlinear || !pending.IsSubsetOf(inChain))
        {
            return null;
        }

        if (up.Outputs < 2)
        {
            why = "it has a single neuron";
            return null;
        }

        chain.AddRange(up.Values(g));
        var name = g.Graph.Node[up.MatMul].Name;
        return new FfnBlock(name.Length > 0 ? $"FFN at '{name}'" : AttentionMatcher.Label(g.Graph.Node[up.MatMul], up.MatMul), up, down, (int)up.Outputs, chain);
    }
}
