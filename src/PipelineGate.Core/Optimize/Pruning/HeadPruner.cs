using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// Removes whole attention heads from unfused multi-head attention (<see cref="AttentionMatcher"/>): the heads'
/// columns of the Q, K and V weights and biases, their rows of the output projection, and the head count and
/// width in the Reshape targets. A head's importance is ‖W_V,h · W_O,h‖_F, the largest gain of its
/// value → output path (attention weights sum to 1 per row). The V bias of a removed head reaches the output as
/// the constant b_V,h · W_O,h, which is added to the output bias, so that part of the head is kept exactly.
/// Blocks it cannot follow are left alone and listed. Post-training, no fine-tuning.
/// </summary>
public static class HeadPruner
{
    public static OptimizationOutput Apply(ModelFile input, PruneOptions options)
    {
        var file = input.Clone();
        var g = new GraphIndex(file);
        var leftAlone = new List<string>();
        var blocks = AttentionMatcher.Find(g, leftAlone);
        if (blocks.Count == 0)
        {
            throw leftAlone.Count > 0
                ? new PipelineGateException(PgCode.AttentionNotFollowable,
                    $"head pruning found attention but none it can follow: {string.Join("; ", leftAlone.Take(6))}; the variant would equal the original.",
                    input.DisplayPath, hint: "Prune the plain export (before ONNX Runtime's transformer fusions), or use method: ffn or magnitude.")
                : new PipelineGateException(PgCode.NothingToPrune,
                    "head pruning found no multi-head attention (Q/K/V MatMul → Reshape → Transpose → Softmax(Q·Kᵀ)·V → output MatMul); the variant would equal the original.",
                    input.DisplayPath, hint: "Use method: channel or magnitude for models without attention, or drop the prune step.");
        }

        var scores = blocks.Select(b => Importance(g, b)).ToList();
        var removed = StructuredSelection.Removed(scores, options.Sparsity, options.PerLayer, multipleOf: 1,
            options.LayerSparsity is null ? null : [.. blocks.Select(b => options.SparsityOf(b.Label))]);
        var before = ChannelPruner.Parameters(file);
        var rewriter = new InputRewriter(g);
        var unfolded = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            if (removed[i].Length > 0 && !Remove(rewriter, blocks[i], removed[i]))
            {
                unfolded++;
            }
        }

        rewriter.Finish(blocks.Where((_, i) => removed[i].Length > 0).SelectMany(static b => b.Values));
        var after = ChannelPruner.Parameters(file);
        var total = blocks.Sum(static b => b.Heads);
        var gone = removed.Sum(static r => r.Length);
        var perBlock = blocks.Select((b, i) => string.Create(CultureInfo.InvariantCulture, $"{b.Label}: {b.Heads}→{b.Heads - removed[i].Length}")).ToArray();
        OptimizationMetadata.Stamp(file.Model, MagnitudePruner.MetadataKey, new Dictionary<string, object>
        {
            ["method"] = "heads",
            ["sparsity"] = options.Sparsity,
            ["perLayer"] = options.PerLayer,
            ["importance"] = "frobenius norm of W_V,h · W_O,h",
            ["headsRemoved"] = gone,
            ["headsTotal"] = total,
            ["removedPerLayer"] = removed.Select(static r => r.Length).ToArray(),
            ["layers"] = perBlock,
            ["layersLeftAlone"] = leftAlone.Count,
            ["valueBiasFolded"] = unfolded == 0,
            ["fineTuned"] = false,
        });
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{options} (importance ‖W_V,h·W_O,h‖_F): removed {gone} of {total} attention heads in {blocks.Count} block(s) ({string.Join(", ", perBlock)}); initializer parameters {before:N0} → {after:N0}. Post-training, no fine-tuning: check fidelity with data."),
        };
        if (unfolded > 0)
        {
            notes.Add($"{unfolded} block(s) have a V bias but no output bias: the removed heads' constant b_V·W_O was dropped, not folded.");
        }

        if (leftAlone.Count > 0)
        {
            notes.Add($"{leftAlone.Count} attention block(s) left alone: " + string.Join("; ", leftAlone.Take(20)) + (leftAlone.Count > 20 ? "; …" : ""));
        }

        return new OptimizationOutput(file, notes);
    }

    /// <summary>The attention blocks it can prune, in graph order, for the accuracy-aware search (each one search layer, keyed by its label).</summary>
    internal static IReadOnlyList<StructuredBlock> Blocks(ModelFile input) =>
        [.. AttentionMatcher.Find(new GraphIndex(input), []).Select(static b => new StructuredBlock(b.Label, b.Heads,
            (2 * (b.Query.Inputs + 1) * b.HeadSize) + ((b.Value.Inputs + 1 + b.Output.Outputs) * b.ValueHeadSize)))];

    /// <summary>‖W_V,h · W_O,h‖_F per head, as √Σ(W_V,hᵀW_V,h ∘ W_O,hW_O,hᵀ): two dv×dv Gram matrices instead of the in×out product.</summary>
    internal static double[] Importance(GraphIndex g, AttentionBlock b)
    {
        var wv = WeightTensors.Read(g.Constants[g.Graph.Node[b.Value.MatMul].Input[1]], g.File);
        var wo = WeightTensors.Read(g.Constants[g.Graph.Node[b.OutputMatMul].Input[1]], g.File);
        var (rows, width, outputs, dv) = ((int)b.Value.Inputs, (int)b.Value.Outputs, (int)b.Output.Outputs, b.ValueHeadSize);
        var scores = new double[b.Heads];
        for (var h = 0; h < b.Heads; h++)
        {
            var sum = 0.0;
            for (var p = 0; p < dv; p++)
            {
                for (var q = 0; q < dv; q++)
                {
                    double gv = 0, go = 0;
                    for (var i = 0; i < rows; i++)
                    {
                        gv += (double)wv[(i * width) + (h * dv) + p] * wv[(i * width) + (h * dv) + q];
                    }

                    var pr = ((h * dv) + p) * outputs;
                    var qr = ((h * dv) + q) * outputs;
                    for (var j = 0; j < outputs; j++)
                    {
                        go += (double)wo[pr + j] * wo[qr + j];
                    }

                    sum += gv * go;
                }
            }

            scores[h] = Math.Sqrt(Math.Max(0, sum));
        }

        return scores;
    }

    /// <summary>The surgery for one block; false when a V bias could not be folded (no output bias).</summary>
    private static bool Remove(InputRewriter r, AttentionBlock b, int[] heads)
    {
        var qk = StructuredSelection.KeptPositions(b.Heads, b.HeadSize, heads);
        var v = StructuredSelection.KeptPositions(b.Heads, b.ValueHeadSize, heads);
        var folded = FoldValueBias(r, b, heads);
        foreach (var (p, keep) in new[] { (b.Query, qk), (b.Key, qk), (b.Value, v) })
        {
            r.Slice(p.MatMul, 1, 1, keep);
            if (p.BiasAdd != Projection.NoBias)
            {
                r.Slice(p.BiasAdd, p.BiasSlot, 0, keep);
            }
        }

        r.Slice(b.OutputMatMul, 1, 0, v);
        var kept = b.Heads - heads.Length;
        foreach (var group in b.Entries.GroupBy(static e => (e.Node, e.Slot)))
        {
            r.SetInts(group.Key.Node, group.Key.Slot, group.Select(e => (e.Position, e.Kind == ShapeEntryKind.Heads ? (long)kept : (long)kept * b.ValueHeadSize)));
        }

        return folded;
    }

    private static bool FoldValueBias(InputRewriter r, AttentionBlock b, int[] heads)
    {
        if (b.Value.BiasAdd == Projection.NoBias)
        {
            return true;
        }

        if (b.Output.BiasAdd == Projection.NoBias)
        {
            return false;
        }

        var bv = r.Read(b.Value.BiasAdd, b.Value.BiasSlot);
        var wo = r.Read(b.OutputMatMul, 1);
        var bo = r.Read(b.Output.BiasAdd, b.Output.BiasSlot);
        var outputs = bo.Length;
        var sums = bo.Select(static x => (double)x).ToArray();
        foreach (var row in heads.SelectMany(h => Enumerable.Range(h * b.ValueHeadSize, b.ValueHeadSize)))
        {
            for (var j = 0; j < outputs; j++)
            {
                sums[j] += (double)bv[row] * wo[(row * outputs) + j];
            }
        }

        r.Replace(b.Output.BiasAdd, b.Output.BiasSlot, [.. sums.Select(static s => (float)s)], [outputs]);
        return true;
    }
}
