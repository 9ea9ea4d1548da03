using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// Structured channel pruning: removes whole output channels of Conv (neurons of Gemm/MatMul), ranked by
/// the L1 or L2 norm of their weights, and the matching slices of every consumer that
/// <see cref="ChannelAnalysis"/> follows. Tied channels (residual Add, SE Mul) go together, ranked by their
/// mean normalized norm. Layers whose channels it cannot follow are left alone and listed. No fine-tuning.
/// </summary>
public static class ChannelPruner
{
    public static OptimizationOutput Apply(ModelFile input, PruneOptions options)
    {
        var file = input.Clone();
        var plan = Plan(file, options);
        if (plan.Classes.Count == 0)
        {
            throw new PipelineGateException(PgCode.NothingToPrune,
                $"channel pruning found no channel it can remove safely{(plan.LeftAlone.Count > 0 ? ": " + string.Join("; ", plan.LeftAlone.Take(6)) : " (no Conv, Gemm or MatMul with a constant float weight)")}; the variant would equal the original.",
                input.DisplayPath, hint: "Use method: magnitude, or drop the prune step for this model.");
        }

        var before = Parameters(file);
        Apply(file, plan.Analysis, plan.Removed);
        var after = Parameters(file);
        var layers = plan.Analysis.Producers.Count(p => p.Ids.Any(id => plan.Removed.Contains(plan.Analysis.Find(id))));
        OptimizationMetadata.Stamp(file.Model, MagnitudePruner.MetadataKey, new Dictionary<string, object>
        {
            ["method"] = "channel",
            ["sparsity"] = options.Sparsity,
            ["norm"] = options.Norm,
            ["multipleOf"] = options.MultipleOf,
            ["perLayer"] = options.PerLayer,
            ["channelsRemoved"] = plan.Removed.Count,
            ["channelsPrunable"] = plan.Classes.Count,
            ["layersPruned"] = layers,
            ["layersLeftAlone"] = plan.LeftAlone.Count,
            ["fineTuned"] = false,
        });
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{options} ({options.Norm} norm, channels kept in multiples of {options.MultipleOf}): removed {plan.Removed.Count} of {plan.Classes.Count} prunable channel groups across {layers} layer(s); initializer parameters {before:N0} → {after:N0}. Post-training, no fine-tuning: check accuracy with data."),
        };
        if (plan.LeftAlone.Count > 0)
        {
            notes.Add($"{plan.LeftAlone.Count} layer(s) left alone: " + string.Join("; ", plan.LeftAlone.Take(20)) + (plan.LeftAlone.Count > 20 ? "; …" : ""));
        }

        return new OptimizationOutput(file, notes);
    }

    /// <summary>What would be removed: the analysis, the prunable channel classes (roots), the removed ones, and the layers left alone with why.</summary>
    internal sealed record ChannelPlan(ChannelAnalysis Analysis, IReadOnlyList<int> Classes, HashSet<int> Removed, IReadOnlyList<string> LeftAlone)
    {
        /// <summary>The clusters of tied layers that have a removable channel, in graph order: the label of their first layer (the key of <see cref="PruneOptions.LayerSparsity"/>), their layer count and removable channels.</summary>
        public IReadOnlyList<(string Label, int Layers, int Channels)> Clusters { get; init; } = [];
    }

    internal static ChannelPlan Plan(ModelFile file, PruneOptions options)
    {
        var a = new ChannelAnalysis(file);
        var constants = GraphConstants.Collect(file.Graph);
        var leftAlone = new List<string>();
        var score = new Dictionary<int, (double Sum, int Members)>();
        var producerOf = new Dictionary<int, List<int>>();
        for (var p = 0; p < a.Producers.Count; p++)
        {
            var producer = a.Producers[p];
            var roots = producer.Ids.Select(a.Find).ToArray();
            var blocked = roots.Select(a.BlockedReason).FirstOrDefault(static r => r is not null);
            if (roots.All(r => a.BlockedReason(r) is not null))
            {
                leftAlone.Add($"{producer.Label}: its output channels {blocked}");
                continue;
            }

            var node = file.Graph.Node[producer.Node];
            var w = constants[node.Input[producer.WeightSlot]];
            var norms = Norms(WeightTensors.Read(w, file), w.Dims.ToArray(), producer.WeightAxis, options.Norm == "l2");
            var mean = norms.Average();
            for (var c = 0; c < roots.Length; c++)
            {
                var s = score.GetValueOrDefault(roots[c]);
                score[roots[c]] = (s.Sum + (mean > 0 ? norms[c] / mean : 0), s.Members + 1);
                if (!producerOf.TryGetValue(roots[c], out var list))
                {
                    producerOf[roots[c]] = list = [];
                }

                list.Add(p);
            }
        }

        // Layers tied by shared channel classes form one cluster, which loses the same share of its channels.
        var cluster = Enumerable.Range(0, a.Producers.Count).ToArray();
        int Root(int p)
        {
            while (cluster[p] != p)
            {
                p = cluster[p] = cluster[cluster[p]];
            }

            return p;
        }

        foreach (var list in producerOf.Values)
        {
            foreach (var p in list.Skip(1))
            {
                cluster[Root(p)] = Root(list[0]);
            }
        }

        var classes = score.Keys.Where(r => a.BlockedReason(r) is null).Order().ToList();
        var byCluster = score.Keys.GroupBy(r => Root(producerOf[r][0])).ToDictionary(static g => g.Key, static g => g.ToList());
        double Score(int r) => score[r].Sum / score[r].Members;
        var layersOf = byCluster.ToDictionary(static c => c.Key, c => c.Value.SelectMany(r => producerOf[r]).Distinct().Order().ToList());
        string Label(int cluster) => a.Producers[layersOf[cluster][0]].Label;
        var removed = new HashSet<int>();
        if (options.PerLayer || options.LayerSparsity is not null)
        {
            foreach (var (root, members) in byCluster)
            {
                var k = Math.Min((int)Math.Floor(options.SparsityOf(Label(root)) * members.Count), members.Count - 1);
                removed.UnionWith(members.Where(r => a.BlockedReason(r) is null).OrderBy(Score).ThenBy(static r => r).Take(k));
            }
        }
        else
        {
            var left = byCluster.ToDictionary(static c => c.Key, static c => c.Value.Count);
            var k = (int)Math.Floor(options.Sparsity * classes.Count);
            foreach (var r in classes.OrderBy(Score).ThenBy(static r => r))
            {
                if (removed.Count == k)
                {
                    break;
                }

                var c = Root(producerOf[r][0]);
                if (left[c] > 1)
                {
                    left[c]--;
                    removed.Add(r);
                }
            }
        }

        // Keep a multiple of MultipleOf channels per cluster: give back the best of the removed ones.
        foreach (var members in byCluster.Values)
        {
            var gone = members.Where(removed.Contains).OrderByDescending(Score).ThenBy(static r => r).ToList();
            var kept = members.Count - gone.Count;
            var target = Math.Min(members.Count, (kept + options.MultipleOf - 1) / options.MultipleOf * options.MultipleOf);
            foreach (var r in gone.Take(target - kept))
            {
                removed.Remove(r);
            }
        }

        var clusters = byCluster
            .Select(c => (Label: Label(c.Key), First: layersOf[c.Key][0], Layers: layersOf[c.Key].Count, Channels: c.Value.Count(r => a.BlockedReason(r) is null)))
            .Where(static c => c.Channels > 0).OrderBy(static c => c.First).Select(static c => (c.Label, c.Layers, c.Channels)).ToList();
        return new ChannelPlan(a, classes, removed, leftAlone) { Clusters = clusters };
    }

    internal static long Parameters(ModelFile file) =>
        GraphConstants.Collect(file.Graph).Values.Where(WeightTensors.IsFloat).Sum(static t => t.Dims.Aggregate(1L, static (a, d) => a * d));

    /// <summary>The norm of each index along an axis.</summary>
    internal static double[] Norms(float[] data, long[] dims, int axis, bool l2)
    {
        var (outer, longSize, inner) = WeightTensors.AroundAxis(dims, axis);
        var size = (int)longSize;
        var norms = new double[size];
        for (var o = 0L; o < outer; o++)
        {
            for (var c = 0; c < size; c++)
            {
                var start = ((o * size) + c) * inner;
                for (var j = 0L; j < inner; j++)
                {
                    var v = (double)data[start + j];
                    norms[c] += l2 ? v * v : Math.Abs(v);
                }
            }
        }

        return l2 ? [.. norms.Select(Math.Sqrt)] : norms;
    }

    private static void Apply(ModelFile file, ChannelAnalysis a, HashSet<int> removed)
    {
        var graph = file.Graph;
        var constants = GraphConstants.Collect(graph);
        var names = GraphConstants.AllNames(graph);
        int[]? Keep(int[] ids)
        {
            var keep = Enumerable.Range(0, ids.Length).Where(p => !removed.Contains(a.Find(ids[p]))).ToArray();
            return keep.Length == ids.Length ? null : keep;
        }

        foreach (var edit in a.Edits)
        {
            if (Keep(edit.Ids) is not { } keep)
            {
                continue;
            }

            var node = graph.Node[edit.Node];
            switch (edit.Kind)
            {
                case EditKind.Group:
                    node.Attribute.Single(static at => at.Name == "group").I = keep.Length;
                    break;
                case EditKind.ReshapeTarget:
                    var target = constants[node.Input[1]];
                    var batch = TensorProtoConverter.ToTensorData(target, file).ToDoubleArray()[0];
                    var shapeName = GraphConstants.UniqueName(names, node.Input[1] + "_pruned");
                    var shape = TensorProtoConverter.FromTensorData(TensorData.Create(new[] { (long)batch, keep.Length }, 2), shapeName);
                    graph.Initializer.Add(shape);
                    constants[shapeName] = shape;
                    node.Input[1] = shapeName;
                    break;
                case EditKind.TargetCount:
                    // int64 whatever the original's type: it feeds a Concat of int64 shape pieces, directly or through a Cast.
                    var countName = GraphConstants.UniqueName(names, node.Input[edit.Slot] + "_pruned");
                    var count = TensorProtoConverter.FromTensorData(TensorData.Create(new[] { (long)keep.Length }, 1), countName);
                    graph.Initializer.Add(count);
                    constants[countName] = count;
                    node.Input[edit.Slot] = countName;
                    break;
                default:
                    var t = constants[node.Input[edit.Slot]];
                    var dims = t.Dims.ToArray();
                    if (dims[edit.Axis] != edit.Ids.Length)
                    {
                        throw new PipelineGateException(PgCode.RecipeFailed,
                            string.Create(CultureInfo.InvariantCulture, $"channel pruning: '{node.Input[edit.Slot]}' of '{ChannelAnalysis.Label(node, edit.Node)}' has {dims[edit.Axis]} entries along axis {edit.Axis}, expected {edit.Ids.Length}."),
                            file.DisplayPath, hint: "This is a bug in PipelineGate's channel analysis: please report it with the model; use method: magnitude meanwhile.");
                    }

                    var sliced = WeightTensors.Slice(WeightTensors.Read(t, file), dims, edit.Axis, keep, out var newDims);
                    var name = GraphConstants.UniqueName(names, node.Input[edit.Slot] + "_pruned");
                    var replacement = WeightTensors.Create(name, sliced, newDims);
                    graph.Initializer.Add(replacement);
                    constants[name] = replacement;
                    node.Input[edit.Slot] = name;
                    break;
            }
        }

        // Shapes recorded for values that lost channels are stale; ONNX Runtime infers them again.
        var changed = a.Values.Where(v => Keep(v.Value.Ids) is not null).Select(static v => v.Key).ToHashSet(StringComparer.Ordinal);
        for (var i = graph.ValueInfo.Count - 1; i >= 0; i--)
        {
            if (changed.Contains(graph.ValueInfo[i].Name))
            {
                graph.ValueInfo.RemoveAt(i);
            }
        }

        GraphConstants.RemoveUnused(graph);
    }
}
