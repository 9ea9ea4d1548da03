using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// Removes intermediate neurons of transformer feed-forward blocks (<see cref="FfnBlock"/>): columns of the up
/// MatMul and its bias, rows of the down MatMul; the element-wise activation in between needs no change. A
/// neuron's importance is √(‖W_up[:, j]‖² + b_j²) · ‖W_down[j, :]‖. Each block keeps a multiple of
/// <see cref="PruneOptions.MultipleOf"/> neurons. Post-training, no fine-tuning.
/// </summary>
public static class FfnPruner
{
    public static OptimizationOutput Apply(ModelFile input, PruneOptions options)
    {
        var file = input.Clone();
        var g = new GraphIndex(file);
        var leftAlone = new List<string>();
        var blocks = FfnBlock.Find(g, leftAlone);
        if (blocks.Count == 0)
        {
            throw new PipelineGateException(PgCode.NothingToPrune,
                $"FFN pruning found no feed-forward block (MatMul → element-wise activation → MatMul, constant weights){(leftAlone.Count > 0 ? ": " + string.Join("; ", leftAlone.Take(6)) : "")}; the variant would equal the original.",
                input.DisplayPath, hint: "Use method: channel or magnitude for models without transformer FFN blocks, or drop the prune step.");
        }

        var scores = blocks.Select(b => Importance(g, b)).ToList();
        var removed = StructuredSelection.Removed(scores, options.Sparsity, options.PerLayer, options.MultipleOf,
            options.LayerSparsity is null ? null : [.. blocks.Select(b => options.SparsityOf(b.Label))]);
        var before = ChannelPruner.Parameters(file);
        var rewriter = new InputRewriter(g);
        for (var i = 0; i < blocks.Count; i++)
        {
            if (removed[i].Length > 0)
            {
                var keep = StructuredSelection.KeptPositions(blocks[i].Neurons, 1, removed[i]);
                var up = blocks[i].Up;
                rewriter.Slice(up.MatMul, 1, 1, keep);
                if (up.BiasAdd != Projection.NoBias)
                {
                    rewriter.Slice(up.BiasAdd, up.BiasSlot, 0, keep);
                }

                rewriter.Slice(blocks[i].Down, 1, 0, keep);
            }
        }

        rewriter.Finish(blocks.Where((_, i) => removed[i].Length > 0).SelectMany(static b => b.Values));
        var after = ChannelPruner.Parameters(file);
        var total = blocks.Sum(static b => b.Neurons);
        var gone = removed.Sum(static r => r.Length);
        var perBlock = blocks.Select((b, i) => string.Create(CultureInfo.InvariantCulture, $"{b.Label}: {b.Neurons}→{b.Neurons - removed[i].Length}")).ToArray();
        OptimizationMetadata.Stamp(file.Model, MagnitudePruner.MetadataKey, new Dictionary<string, object>
        {
            ["method"] = "ffn",
            ["sparsity"] = options.Sparsity,
            ["perLayer"] = options.PerLayer,
            ["multipleOf"] = options.MultipleOf,
            ["importance"] = "l2 of up column (with bias) times l2 of down row",
            ["neuronsRemoved"] = gone,
            ["neuronsTotal"] = total,
            ["removedPerLayer"] = removed.Select(static r => r.Length).ToArray(),
            ["layers"] = perBlock,
            ["fineTuned"] = false,
        });
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{options} (neurons kept in multiples of {options.MultipleOf}): removed {gone} of {total} FFN neurons in {blocks.Count} block(s) ({string.Join(", ", perBlock)}); initializer parameters {before:N0} → {after:N0}. Post-training, no fine-tuning: check fidelity with data."),
        };
        if (leftAlone.Count > 0)
        {
            notes.Add($"{leftAlone.Count} layer(s) left alone: " + string.Join("; ", leftAlone.Take(20)) + (leftAlone.Count > 20 ? "; …" : ""));
        }

        return new OptimizationOutput(file, notes);
    }

    /// <summary>The FFN blocks it can prune, in graph order, for the accuracy-aware search (each one search layer, keyed by its label).</summary>
    internal static IReadOnlyList<StructuredBlock> Blocks(ModelFile input)
    {
        var g = new GraphIndex(input);
        return [.. FfnBlock.Find(g, []).Select(b => new StructuredBlock(b.Label, b.Neurons,
            b.Up.Inputs + (b.Up.BiasAdd == Projection.NoBias ? 0 : 1) + g.Constants[g.Graph.Node[b.Down].Input[1]].Dims[1]))];
    }

    internal static double[] Importance(GraphIndex g, FfnBlock b)
    {
        var up = g.Graph.Node[b.Up.MatMul];
        var w1 = WeightTensors.Read(g.Constants[up.Input[1]], g.File);
        var w2 = WeightTensors.Read(g.Constants[g.Graph.Node[b.Down].Input[1]], g.File);
        var bias = b.Up.BiasAdd == Projection.NoBias ? null : WeightTensors.Read(g.Constants[g.Graph.Node[b.Up.BiasAdd].Input[b.Up.BiasSlot]], g.File);
        var (rows, n) = ((int)b.Up.Inputs, b.Neurons);
        var outputs = w2.Length / n;
        var inNorm = new double[n];
        var outNorm = new double[n];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < n; j++)
            {
                inNorm[j] += (double)w1[(i * n) + j] * w1[(i * n) + j];
            }
        }

        for (var j = 0; j < n; j++)
        {
            inNorm[j] += bias is null ? 0 : (double)bias[j] * bias[j];
            for (var k = 0; k < outputs; k++)
            {
                outNorm[j] += (double)w2[(j * outputs) + k] * w2[(j * outputs) + k];
            }
        }

        return [.. inNorm.Zip(outNorm, static (a, c) => Math.Sqrt(a * c))];
    }
}
