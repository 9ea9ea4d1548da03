using PipelineGate.Onnx.Proto;

namespace PipelineGate.Onnx.Facts;

/// <summary>
/// Counts multiply-accumulates of Conv, ConvTranspose, MatMul, Gemm (and their quantized forms: ConvInteger,
/// MatMulInteger after DynamicQuantizeLinear, QLinearConv, QLinearMatMul, DynamicQuantizeMatMul, DynamicQuantizeLSTM),
/// activation-by-activation MatMuls as found in attention, and LSTM/GRU/RNN, using static shapes.
/// </summary>
public static class ComputeEstimator
{
    private static readonly HashSet<string> Heavy = new(StringComparer.Ordinal)
    {
        "Conv", "ConvInteger", "QLinearConv", "ConvTranspose", "MatMul", "MatMulInteger", "QLinearMatMul", "Gemm",
        "LSTM", "GRU", "RNN", "DynamicQuantizeLSTM", "MatMulNBits", "DynamicQuantizeMatMul", "MatMulIntegerToFloat", "Attention", "QAttention",
    };

    /// <param name="graph">The main graph.</param>
    /// <param name="fixedDims">Values for symbolic dimensions (e.g. batch=1, height=640); others are taken as 1.</param>
    public static ComputeEstimate Estimate(GraphProto graph, IReadOnlyDictionary<string, long>? fixedDims = null)
    {
        var env = new ShapeEnvironment(graph, fixedDims);
        long macs = 0;
        var counted = 0;
        var attention = 0;
        var uncounted = new List<string>();
        // In topological order (stable), as ONNX Runtime runs it: shapes flow from producers to users even when the list is not sorted.
        foreach (var k in Onnx.IO.NodeOrder.Sort(graph).Order)
        {
            var n = graph.Node[k];
            if (n.OpType == "Constant" && n.Output.Count == 1 && NodeAttributes.Find(n, "value")?.T is { } value)
            {
                env.AddConstant(n.Output[0], value);
                continue;
            }

            var output = ShapeRules.Infer(n, env);
            if (n.Output.Count > 0)
            {
                env.Set(n.Output[0], output);
            }

            foreach (var (index, shape) in ShapeRules.OtherOutputs(n).Where(o => o.Output < n.Output.Count))
            {
                env.Set(n.Output[index], shape);
            }

            if (!Heavy.Contains(n.OpType))
            {
                continue;
            }

            if (n.OpType == "MatMul" && n.Input.Count == 2 && env.Constant(n.Input[0]) is null && env.Constant(n.Input[1]) is null && !IsConstantNodeOutput(graph, n.Input[1]))
            {
                // Both operands are activations: the Q·Kᵀ and attention·V products of attention blocks.
                attention++;
            }

            var cost = NodeMacs(n, env, output);
            if (cost is { } c && c >= 0)
            {
                macs += c;
                counted++;
            }
            else
            {
                uncounted.Add(string.IsNullOrEmpty(n.Name) ? $"#{k} ({n.OpType})" : $"{n.Name} ({n.OpType})");
            }
        }

        // Heavy nodes inside If/Loop/Scan bodies run a data-dependent number of times: not counted, but said.
        foreach (var sub in Onnx.IO.ModelWalker.SubgraphsOf(graph.Node).SelectMany(Onnx.IO.ModelWalker.GraphAndSubgraphs))
        {
            uncounted.AddRange(sub.Node.Where(static n => Heavy.Contains(n.OpType)).Select(n => $"{(string.IsNullOrEmpty(n.Name) ? n.OpType : n.Name)} ({n.OpType}, in subgraph '{sub.Name}')"));
        }

        return new ComputeEstimate(macs, counted, uncounted, attention, env.AssumedSymbols.ToArray());
    }

    private static bool IsConstantNodeOutput(GraphProto graph, string name) =>
        graph.Node.Any(n => n.OpType == "Constant" && n.Output.Contains(name));

    private static long? NodeMacs(NodeProto n, ShapeEnvironment env, long[]? output)
    {
        long[]? In(int i) => i < n.Input.Count && !string.IsNullOrEmpty(n.Input[i]) ? env.Get(n.Input[i]) : null;
        switch (n.OpType)
        {
            case "Conv" or "ConvInteger" or "QLinearConv":
            {
                var w = In(n.OpType == "QLinearConv" ? 3 : 1);
                if (output is null || w is null)
                {
                    return null;
                }

                // Each output element: (C_in / group) × kernel area multiply-adds, and w[1] already is C_in / group.
                return Product(output) * Product(w.Skip(1));
            }

            case "ConvTranspose":
            {
                var x = In(0);
                var w = In(1);
                if (x is null || w is null)
                {
                    return null;
                }

                // Each input element scatters into (C_out / group) × kernel area outputs: w is [C_in, C_out/group, k...].
                return Product(x) * Product(w.Skip(1));
            }

            case "MatMul" or "MatMulInteger" or "QLinearMatMul" or "DynamicQuantizeMatMul" or "MatMulIntegerToFloat":
            {
                var a = In(0);
                return a is null || a.Length == 0 || output is null ? null : Product(output) * a[^1];
            }

            case "Gemm":
            {
                var a = In(0);
                if (a is not { Length: 2 } || output is null)
                {
                    return null;
                }

                var k = NodeAttributes.Int(n, "transA", 0) == 1 ? a[0] : a[1];
                return Product(output) * k;
            }

            // DynamicQuantizeLSTM stores W and R transposed ([directions, input, gates × hidden]): the products are the same.
            case "LSTM" or "GRU" or "RNN" or "DynamicQuantizeLSTM":
            {
                var x = In(0);
                var w = In(1);
                var r = In(2);
                if (x is not { Length: 3 } || w is not { Length: 3 } || r is not { Length: 3 })
                {
                    return null;
                }

                var layout = NodeAttributes.Int(n, "layout", 0);
                var seq = layout == 0 ? x[0] : x[1];
                var batch = layout == 0 ? x[1] : x[0];

                // W is [directions, gates × hidden, input], R is [directions, gates × hidden, hidden].
                var perStep = (w[0] * w[1] * w[2]) + (r[0] * r[1] * r[2]);
                return seq * batch * perStep;
            }

            default:
                return null;
        }
    }

    private static long Product(IEnumerable<long> dims) => dims.Aggregate(1L, static (p, d) => p * d);
}
