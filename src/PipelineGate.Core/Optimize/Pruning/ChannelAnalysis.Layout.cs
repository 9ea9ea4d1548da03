using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// The ops that join or re-lay tracked channels rather than pass them through: element-wise binaries between
/// activations (their channels tied, one class) and with per-channel constants (sliced), Concat (ids at
/// offsets), Flatten/Reshape into [batch, features] (one channel = H·W features), Squeeze/Unsqueeze (axes).
/// </summary>
internal sealed partial class ChannelAnalysis
{
    private void Elementwise(int i, NodeProto n, string label)
    {
        var tracked = n.Input.Where(Values.ContainsKey).Select(v => Values[v]).ToList();
        if (tracked.Count == 0)
        {
            return;
        }

        var first = tracked[0];
        var fromEnd = first.Rank - first.Axis;
        var outRank = _shapes.GetValueOrDefault(n.Output[0])?.Length ?? tracked.Max(static t => t.Rank);
        if (tracked.Any(t => t.Rank - t.Axis != fromEnd || t.Ids.Length != first.Ids.Length))
        {
            foreach (var t in tracked)
            {
                Block(t, $"meets channels of another size or axis at '{label}'");
            }

            return;
        }

        foreach (var t in tracked.Skip(1))
        {
            for (var c = 0; c < first.Ids.Length; c++)
            {
                Union(first.Ids[c], t.Ids[c]);
            }
        }

        var count = first.Ids.Length;
        for (var slot = 0; slot < n.Input.Count; slot++)
        {
            var name = n.Input[slot];
            if (Values.ContainsKey(name))
            {
                continue;
            }

            long[]? dims = _constants.TryGetValue(name, out var ct) ? ct.Dims.ToArray() : _shapes.GetValueOrDefault(name);
            if (dims is null)
            {
                Block(first, $"meets a value of unknown shape at '{label}'");
                return;
            }

            var pos = dims.Length - fromEnd;
            if (pos < 0 || dims[pos] == 1)
            {
                continue; // broadcast along the channel axis
            }

            if (ct is not null && dims[pos] == count && WeightTensors.IsFloat(ct))
            {
                Edits.Add(new ChannelEdit(i, slot, pos, first.Ids, EditKind.Slice, EditRole.Between));
            }
            else
            {
                Block(first, $"meets an activation with its own channels at '{label}'");
                return;
            }
        }

        Values[n.Output[0]] = new TrackedValue(outRank - fromEnd, outRank, first.Ids);
    }

    private void Concat(NodeProto n, string label)
    {
        var tracked = n.Input.Where(Values.ContainsKey).Select(v => Values[v]).ToList();
        if (tracked.Count == 0)
        {
            return;
        }

        var first = tracked[0];
        var axis = NodeAttributes.Int(n, "axis", 1);
        axis = axis < 0 ? axis + first.Rank : axis;
        if (tracked.Any(t => t.Axis != axis || t.Rank != first.Rank))
        {
            foreach (var t in tracked)
            {
                Block(t, $"is concatenated along another axis at '{label}'");
            }

            return;
        }

        var ids = new List<int>();
        foreach (var input in n.Input)
        {
            if (Values.TryGetValue(input, out var t))
            {
                ids.AddRange(t.Ids);
                continue;
            }

            var dims = _constants.TryGetValue(input, out var ct) ? ct.Dims.ToArray() : _shapes.GetValueOrDefault(input);
            if (dims is null || dims.Length != first.Rank || _shapesAlt.GetValueOrDefault(input)?[axis] != dims[axis] && ct is null)
            {
                foreach (var tt in tracked)
                {
                    Block(tt, $"is concatenated at '{label}' with a value of unknown channel count");
                }

                return;
            }

            // Channels of an input that is not tracked stay; their ids only hold the offsets.
            var fixedIds = NewIds((int)dims[axis]);
            foreach (var id in fixedIds)
            {
                _blocked.TryAdd(id, $"is concatenated at '{label}' with channels it cannot prune");
            }

            ids.AddRange(fixedIds);
        }

        Values[n.Output[0]] = new TrackedValue((int)axis, first.Rank, [.. ids]);
    }

    private void Flatten(int i, NodeProto n, TrackedValue? x, string label)
    {
        if (x is null)
        {
            return;
        }

        var shape = _shapes.GetValueOrDefault(n.Input[0]);
        var alt = _shapesAlt.GetValueOrDefault(n.Input[0]);
        if (x.Axis != 1 || shape is null || alt is null || shape.Length != x.Rank)
        {
            Block(x, $"is reshaped by '{label}' in a way it cannot follow");
            return;
        }

        long spatial = 1, spatialAlt = 1;
        for (var d = 2; d < shape.Length; d++)
        {
            spatial *= shape[d];
            spatialAlt *= alt[d];
        }

        if (spatial != spatialAlt)
        {
            Block(x, $"is flattened by '{label}' with a spatial size that depends on the input size");
            return;
        }

        var features = x.Ids.Length * spatial;
        var reshapeTarget = false;
        (int Node, int Slot)? countAt = null;
        if (n.OpType == "Flatten")
        {
            if (NodeAttributes.Int(n, "axis", 1) != 1)
            {
                Block(x, $"is flattened by '{label}' at another axis");
                return;
            }
        }
        else
        {
            var target = n.Input.Count > 1 ? ConstantInts(n.Input[1]) : null;
            if (target is null && n.Input.Count > 1 && BatchThenCount(n.Input[1]) is { } runtime)
            {
                target = [0, runtime.Count];
                countAt = (runtime.Node, runtime.Slot);
            }

            if (target is not { Length: 2 } || target[0] is not (0 or -1) && target[0] != shape[0] || target[1] != -1 && target[1] != features || target[0] == -1 && target[1] == -1)
            {
                Block(x, $"is reshaped by '{label}' to something other than [batch, features]");
                return;
            }

            reshapeTarget = target[1] != -1;
        }

        var ids = new int[features];
        for (var c = 0; c < x.Ids.Length; c++)
        {
            Array.Fill(ids, x.Ids[c], (int)(c * spatial), (int)spatial);
        }

        if (reshapeTarget)
        {
            Edits.Add(countAt is { } at
                ? new ChannelEdit(at.Node, at.Slot, 0, ids, EditKind.TargetCount, EditRole.Between)
                : new ChannelEdit(i, 1, 1, ids, EditKind.ReshapeTarget, EditRole.Between));
        }

        Values[n.Output[0]] = new TrackedValue(1, 2, ids);
    }

    private void Squeeze(NodeProto n, TrackedValue? x, string label)
    {
        if (x is null)
        {
            return;
        }

        var axes = NodeAttributes.Ints(n, "axes") ?? (n.Input.Count > 1 ? ConstantInts(n.Input[1]) : null);
        var squeeze = n.OpType == "Squeeze";
        if (axes is null)
        {
            Block(x, $"is squeezed by '{label}' without explicit axes");
            return;
        }

        var rank = squeeze ? x.Rank : x.Rank + axes.Length;
        var normalized = axes.Select(a => a < 0 ? a + rank : a).ToArray();
        if (normalized.Any(a => a <= x.Axis))
        {
            Block(x, $"is re-axed by '{label}' before its channel axis");
            return;
        }

        Values[n.Output[0]] = x with { Rank = squeeze ? x.Rank - axes.Length : rank };
    }
}
