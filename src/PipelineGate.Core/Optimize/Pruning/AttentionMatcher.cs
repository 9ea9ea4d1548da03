using System.Globalization;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// Finds the unfused attention blocks whose heads can be removed (<see cref="AttentionBlock"/>), starting from
/// each Softmax. Any step it cannot follow (a fused Attention op, a value read elsewhere, a Reshape target it
/// cannot rewrite, a per-head constant) leaves that block alone, with the reason listed.
/// </summary>
internal static class AttentionMatcher
{
    private static readonly string[] FusedOps = ["Attention", "MultiHeadAttention", "PackedAttention", "PackedMultiHeadAttention", "QAttention", "GroupQueryAttention", "DecoderMaskedMultiHeadAttention"];

    private static readonly string[] ScoreOps = ["Add", "Sub", "Mul", "Div", "Where"];

    public static List<AttentionBlock> Find(GraphIndex g, List<string> leftAlone)
    {
        var blocks = new List<AttentionBlock>();
        for (var i = 0; i < g.Graph.Node.Count; i++)
        {
            var node = g.Graph.Node[i];
            if (FusedOps.Contains(node.OpType))
            {
                leftAlone.Add($"{Label(node, i)}: a fused {node.OpType} op keeps its heads inside one kernel (prune the unfused export, before ONNX Runtime's transformer optimizer)");
            }
            else if (node.OpType == "Softmax")
            {
                var block = Match(g, i, out var why);
                if (block is not null)
                {
                    blocks.Add(block);
                }
                else if (why is not null)
                {
                    leftAlone.Add($"{Label(node, i)}: {why}");
                }
            }
        }

        return blocks;
    }

    internal static string Label(NodeProto node, int index) =>
        node.Name.Length > 0 ? $"{node.OpType} '{node.Name}'" : string.Create(CultureInfo.InvariantCulture, $"{node.OpType} #{index}");

    /// <summary>The block around one Softmax; null with <paramref name="why"/> null when the Softmax is not attention-shaped at all.</summary>
    private static AttentionBlock? Match(GraphIndex g, int softmax, out string? why)
    {
        why = null;
        var sm = g.Graph.Node[softmax];
        var values = new List<string> { sm.Output[0] };
        if (GraphIndex.Attribute(sm, "axis", -1) is not (-1 or 3))
        {
            return null;
        }

        // Back from the Softmax through scaling and masking to Q·Kᵀ.
        var qk = ScoresMatMul(g, sm.Input[0], values, 0);
        if (qk is null)
        {
            return null;
        }

        var qkNode = g.Graph.Node[qk.Value];
        var q = Split(g, qkNode.Input[0], [0, 2, 1, 3], values);
        var k = Split(g, qkNode.Input[1], [0, 2, 3, 1], values) ?? SplitThenTranspose(g, qkNode.Input[1], values);
        if (q is null || k is null)
        {
            why = "its Q·Kᵀ inputs are not Reshape → Transpose of a projection (with a constant weight)";
            return null;
        }

        // Forward from the Softmax: ·V, transpose back, reshape to [batch, sequence, hidden], output projection.
        if (g.SoleReader(sm.Output[0], 4, 1) is not { OpType: "MatMul" } pv || pv.Input[0] != sm.Output[0])
        {
            why = "its output is not multiplied by V alone";
            return null;
        }

        var v = Split(g, pv.Input[1], [0, 2, 1, 3], values);
        values.Add(pv.Output[0]);
        if (v is null
            || g.SoleReader(pv.Output[0], 4, 1) is not { OpType: "Transpose" } back
            || !(GraphIndex.Ints(back, "perm") ?? []).SequenceEqual([0, 2, 1, 3])
            || g.SoleReader(back.Output[0], 4, 2) is not { OpType: "Reshape" } merge
            || g.SoleReader(merge.Output[0], 3, 2) is not { OpType: "MatMul" } outMatMul
            || outMatMul.Input[0] != merge.Output[0]
            || Projection.At(g, g.IndexOf(outMatMul)) is not { } output)
        {
            why = "the attention output is not Transpose → Reshape → a MatMul with a constant weight";
            return null;
        }

        values.Add(back.Output[0]);
        values.Add(merge.Output[0]);
        var (qp, qShape) = q.Value;
        var (kp, kShape) = k.Value;
        var (vp, vShape) = v.Value;
        if (new[] { qp.MatMul, kp.MatMul, vp.MatMul }.Distinct().Count() != 3 || qp.Outputs != kp.Outputs)
        {
            why = "Q, K and V are not three separate projections of one width (a packed QKV weight is not followed)";
            return null;
        }

        var entries = new List<ShapeEntry>();
        var heads = HeadsOf(g, qShape, qp.Outputs, entries);
        if (heads is null || HeadsOf(g, kShape, kp.Outputs, entries) != heads || HeadsOf(g, vShape, vp.Outputs, entries) != heads)
        {
            why = "the head count in the Q/K/V Reshape targets is not a constant this pass can rewrite";
            return null;
        }

        var valueHeadSize = vp.Outputs / heads.Value;
        if (output.Inputs != vp.Outputs || !WidthOf(g, g.IndexOf(merge), merge.Input[1], vp.Outputs, entries))
        {
            why = "the reshape back to [batch, sequence, hidden] has a width this pass cannot rewrite";
            return null;
        }

        values.AddRange(qp.Values(g).Concat(kp.Values(g)).Concat(vp.Values(g)));
        var label = g.Graph.Node[qp.MatMul].Name is { Length: > 0 } n ? $"attention at '{n}'" : Label(sm, softmax);
        return new AttentionBlock(label, qp, kp, vp, g.IndexOf(outMatMul), output, heads.Value, (int)(qp.Outputs / heads.Value), (int)valueHeadSize, entries, values);
    }

    private static int? ScoresMatMul(GraphIndex g, string value, List<string> values, int depth)
    {
        if (depth > 6 || g.Producer(value) is not { } p)
        {
            return null;
        }

        var index = g.IndexOf(p);
        if (p.OpType == "MatMul" && !g.IsConstant(p.Input[0]) && !g.IsConstant(p.Input[1]))
        {
            values.Add(value);
            return g.OnlyReadBy(value, ReaderOfChain(g, value), 4, 1) ? index : null;
        }

        if (!ScoreOps.Contains(p.OpType) || p.Input.Count != 2)
        {
            return null;
        }

        for (var slot = 0; slot < 2; slot++)
        {
            var mark = values.Count;
            if (!g.IsConstant(p.Input[slot]) && ScoresMatMul(g, p.Input[slot], values, depth + 1) is { } found && SideIsHeadless(g, p.Input[1 - slot]))
            {
                values.Add(value);
                return g.OnlyReadBy(value, ReaderOfChain(g, value), 4, 1) ? found : null;
            }

            values.RemoveRange(mark, values.Count - mark);
        }

        return null;
    }

    private static int ReaderOfChain(GraphIndex g, string value)
    {
        var readers = g.Readers(value).Where(r => g.Graph.Node[r.Node].OpType != "Shape").ToArray();
        return readers.Length == 1 ? readers[0].Node : -1;
    }

    /// <summary>
    /// A mask or scale added to the scores must not have a head axis: a constant with size 1 there, or a
    /// computed value that reads no float weight of rank 2 or more (an attention-mask expression, not a learned
    /// per-head bias such as T5's relative positions).
    /// </summary>
    private static bool SideIsHeadless(GraphIndex g, string value)
    {
        if (g.Constants.TryGetValue(value, out var t))
        {
            return t.Dims.Count < 3 || t.Dims[^3] == 1;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([value]);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            if (!seen.Add(v) || seen.Count > 200)
            {
                return seen.Count <= 200;
            }

            if (g.Constants.TryGetValue(v, out var c))
            {
                if (WeightTensors.IsFloat(c) && c.Dims.Count >= 2)
                {
                    return false;
                }

                continue;
            }

            if (g.Producer(v) is { } p)
            {
                foreach (var input in p.Input.Where(static i => i.Length > 0))
                {
                    stack.Push(input);
                }
            }
        }

        return true;
    }

    /// <summary>Transpose(perm) ← Reshape(projection output, target): the projection and the Reshape's node index.</summary>
    private static (Projection Projection, int Reshape)? Split(GraphIndex g, string value, long[] perm, List<string> values)
    {
        if (g.Producer(value) is not { OpType: "Transpose" } t || !(GraphIndex.Ints(t, "perm") ?? []).SequenceEqual(perm)
            || g.Producer(t.Input[0]) is not { OpType: "Reshape" } r
            || !g.OnlyReadBy(value, ReaderOfChain(g, value), 4, 1)
            || !g.OnlyReadBy(r.Output[0], g.IndexOf(t), 4, 2)
            || Projection.Producing(g, r.Input[0]) is not { } p
            || !g.OnlyReadBy(p.Output, g.IndexOf(r), 3, 2))
        {
            return null;
        }

        values.Add(value);
        values.Add(r.Output[0]);
        return (p, g.IndexOf(r));
    }

    /// <summary>K as some exporters write it: Transpose [0, 1, 3, 2] of the usual [0, 2, 1, 3] split.</summary>
    private static (Projection Projection, int Reshape)? SplitThenTranspose(GraphIndex g, string value, List<string> values)
    {
        if (g.Producer(value) is not { OpType: "Transpose" } t || !(GraphIndex.Ints(t, "perm") ?? []).SequenceEqual([0, 1, 3, 2])
            || !g.OnlyReadBy(value, ReaderOfChain(g, value), 4, 1))
        {
            return null;
        }

        var inner = Split(g, t.Input[0], [0, 2, 1, 3], values);
        if (inner is not null)
        {
            values.Add(value);
        }

        return inner;
    }

    /// <summary>The head count a [batch, sequence, heads, head size] target gives a width, recording the entries to rewrite; null if unknown.</summary>
    private static int? HeadsOf(GraphIndex g, int reshape, long width, List<ShapeEntry> entries)
    {
        var node = g.Graph.Node[reshape];
        if (Trailing(g, reshape, node.Input[1], 2) is not [var heads, var size])
        {
            return null;
        }

        long h;
        if (heads.Value > 0 && width % heads.Value == 0 && (size.Value == -1 || size.Value * heads.Value == width))
        {
            h = heads.Value;
            entries.Add(heads.Entry with { Kind = ShapeEntryKind.Heads });
        }
        else if (heads.Value == -1 && size.Value > 0 && width % size.Value == 0)
        {
            h = width / size.Value;
        }
        else
        {
            return null;
        }

        return (int)h;
    }

    private static bool WidthOf(GraphIndex g, int reshape, string shape, long width, List<ShapeEntry> entries)
    {
        if (Trailing(g, reshape, shape, 1) is not [var last])
        {
            return false;
        }

        if (last.Value == width)
        {
            entries.Add(last.Entry with { Kind = ShapeEntryKind.Width });
            return true;
        }

        return last.Value == -1;
    }

    /// <summary>
    /// The last <paramref name="count"/> integers of a Reshape target and where each lives: a constant target,
    /// or a Concat (axis 0, read only by this Reshape) whose trailing inputs are constants.
    /// </summary>
    private static (long Value, ShapeEntry Entry)[]? Trailing(GraphIndex g, int reshape, string shape, int count)
    {
        if (g.Int64s(shape) is { } whole)
        {
            return whole.Length < count ? null
                : [.. Enumerable.Range(whole.Length - count, count).Select(p => (whole[p], new ShapeEntry(reshape, 1, p, ShapeEntryKind.Heads)))];
        }

        if (g.Producer(shape) is not { OpType: "Concat" } concat || GraphIndex.Attribute(concat, "axis", 0) != 0
            || g.Readers(shape).Count != 1 || !g.IsInternal(shape))
        {
            return null;
        }

        var concatIndex = g.IndexOf(concat);
        var found = new List<(long, ShapeEntry)>();
        for (var slot = concat.Input.Count - 1; slot >= 0 && found.Count < count; slot--)
        {
            if (g.Int64s(concat.Input[slot]) is not { } part)
            {
                return null;
            }

            for (var p = part.Length - 1; p >= 0 && found.Count < count; p--)
            {
                found.Add((part[p], new ShapeEntry(concatIndex, slot, p, ShapeEntryKind.Heads)));
            }
        }

        found.Reverse();
        return found.Count == count ? [.. found] : null;
    }
}
