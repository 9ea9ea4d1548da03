using System.Globalization;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;

namespace PipelineGate.Optimize.Pruning;

/// <summary>The layers whose output channels are prunable (the producers): Conv (group 1), Gemm, and MatMul with a constant weight.</summary>
internal sealed partial class ChannelAnalysis
{
    private void Conv(int i, NodeProto n, TrackedValue? x, string label)
    {
        if (n.Input.Count < 2 || !_constants.TryGetValue(n.Input[1], out var w) || !WeightTensors.IsFloat(w) || w.Dims.Count < 3)
        {
            BlockInputs(n, $"'{label}' has no constant float weight");
            return;
        }

        BlockInputs(n, $"'{label}' reads it as a weight", from: 1);
        var group = NodeAttributes.Int(n, "group", 1);
        var cout = (int)w.Dims[0];
        var perGroup = (int)w.Dims[1];
        var hasBias = n.Input.Count > 2 && !string.IsNullOrEmpty(n.Input[2]);
        if (hasBias && !SliceableConstant(n.Input[2], cout, out _))
        {
            if (x is not null)
            {
                Block(x, $"'{label}' has a bias that is not a constant");
            }

            return;
        }

        if (group == 1)
        {
            if (x is not null)
            {
                if (x.Axis == 1 && x.Ids.Length == perGroup)
                {
                    Edits.Add(new ChannelEdit(i, 1, 1, x.Ids, EditKind.Slice, EditRole.Consumer));
                }
                else
                {
                    Block(x, $"'{label}' reads it along another axis");
                }
            }

            var ids = NewIds(cout);
            Values[n.Output[0]] = new TrackedValue(1, w.Dims.Count, ids);
            Producers.Add(new ChannelProducer(i, label, 1, 0, ids));
            Edits.Add(new ChannelEdit(i, 1, 0, ids, EditKind.Slice, EditRole.Producer));
            if (hasBias)
            {
                Edits.Add(new ChannelEdit(i, 2, 0, ids, EditKind.Slice, EditRole.Producer));
            }

            return;
        }

        if (x is not null && x.Axis == 1 && group == x.Ids.Length && perGroup == 1 && cout == group)
        {
            // Depthwise: channel c in, channel c out; the channel goes with its filter and the group count shrinks.
            Edits.Add(new ChannelEdit(i, 1, 0, x.Ids, EditKind.Slice, EditRole.Between));
            if (hasBias)
            {
                Edits.Add(new ChannelEdit(i, 2, 0, x.Ids, EditKind.Slice, EditRole.Between));
            }

            Edits.Add(new ChannelEdit(i, -1, 0, x.Ids, EditKind.Group, EditRole.Between));
            Values[n.Output[0]] = x;
            return;
        }

        if (x is not null)
        {
            Block(x, string.Create(CultureInfo.InvariantCulture, $"is read by the grouped convolution '{label}' (group {group}), whose groups would become uneven"));
        }
    }

    private void Gemm(int i, NodeProto n, TrackedValue? x, string label)
    {
        if (n.Input.Count < 2 || !_constants.TryGetValue(n.Input[1], out var b) || !WeightTensors.IsFloat(b) || b.Dims.Count != 2)
        {
            BlockInputs(n, $"'{label}' has no constant 2-D float weight");
            return;
        }

        BlockInputs(n, $"'{label}' reads it as a weight or bias", from: 1);
        var transB = NodeAttributes.Int(n, "transB", 0) == 1;
        var k = (int)b.Dims[transB ? 1 : 0];
        var outputs = (int)b.Dims[transB ? 0 : 1];
        if (x is not null)
        {
            if (NodeAttributes.Int(n, "transA", 0) == 0 && x.Rank == 2 && x.Axis == 1 && x.Ids.Length == k)
            {
                Edits.Add(new ChannelEdit(i, 1, transB ? 1 : 0, x.Ids, EditKind.Slice, EditRole.Consumer));
            }
            else
            {
                Block(x, $"'{label}' reads it transposed or along another axis");
            }
        }

        var biasAxis = -1;
        if (n.Input.Count > 2 && !string.IsNullOrEmpty(n.Input[2]))
        {
            if (!_constants.TryGetValue(n.Input[2], out var c) || !WeightTensors.IsFloat(c))
            {
                return;
            }

            var dims = c.Dims.ToArray();
            if (dims.Length > 0 && dims[^1] == outputs && outputs != 1)
            {
                biasAxis = dims.Length - 1;
            }
            else if (dims.Length > 0 && dims[^1] != 1)
            {
                return;
            }
        }

        var ids = NewIds(outputs);
        Values[n.Output[0]] = new TrackedValue(1, 2, ids);
        Producers.Add(new ChannelProducer(i, label, 1, transB ? 0 : 1, ids));
        Edits.Add(new ChannelEdit(i, 1, transB ? 0 : 1, ids, EditKind.Slice, EditRole.Producer));
        if (biasAxis >= 0)
        {
            Edits.Add(new ChannelEdit(i, 2, biasAxis, ids, EditKind.Slice, EditRole.Producer));
        }
    }

    private void MatMul(int i, NodeProto n, TrackedValue? x, string label)
    {
        if (n.Input.Count < 2 || !_constants.TryGetValue(n.Input[1], out var w) || !WeightTensors.IsFloat(w) || w.Dims.Count != 2)
        {
            BlockInputs(n, $"'{label}' multiplies it by something other than a constant 2-D weight");
            return;
        }

        var k = (int)w.Dims[0];
        if (x is not null)
        {
            if (x.Axis == x.Rank - 1 && x.Ids.Length == k)
            {
                Edits.Add(new ChannelEdit(i, 1, 0, x.Ids, EditKind.Slice, EditRole.Consumer));
            }
            else
            {
                Block(x, $"'{label}' reads it along another axis");
            }
        }

        var rank = _shapes.GetValueOrDefault(n.Input[0])?.Length ?? x?.Rank;
        if (rank is not { } r || r < 2)
        {
            return;
        }

        var ids = NewIds((int)w.Dims[1]);
        Values[n.Output[0]] = new TrackedValue(r - 1, r, ids);
        Producers.Add(new ChannelProducer(i, label, 1, 1, ids));
        Edits.Add(new ChannelEdit(i, 1, 1, ids, EditKind.Slice, EditRole.Producer));
    }
}
