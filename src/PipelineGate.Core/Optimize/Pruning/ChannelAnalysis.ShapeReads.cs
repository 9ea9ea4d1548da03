using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.Proto;

namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// Reads of a tracked value's shape that do not depend on its channel count: Shape of the value, Cast of that,
/// and a Slice of it that keeps only dimensions before the channel axis (the batch). Such a piece may then be
/// concatenated with a one-element constant into a run-time Reshape target [batch, features] (the Paddle
/// exports' flatten before the classifier), whose constant the surgery rewrites. Any other read of the shape
/// blocks the value's channels.
/// </summary>
internal sealed partial class ChannelAnalysis
{
    /// <summary>Shape tensors (and their Casts) of tracked values.</summary>
    private readonly Dictionary<string, TrackedValue> _shapeOf = new(StringComparer.Ordinal);

    /// <summary>Pieces of a tracked value's shape before its channel axis, with their element count.</summary>
    private readonly Dictionary<string, int> _batchDims = new(StringComparer.Ordinal);

    private readonly Dictionary<string, int> _readers = new(StringComparer.Ordinal);

    private readonly Dictionary<string, int> _producer = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="n"/> is a shape read this analysis follows (nothing else to do for it).</summary>
    private bool ShapeRead(NodeProto n, string label)
    {
        if (n.OpType == "Shape" && n.Input.Count == 1 && n.Attribute.Count == 0 && Values.TryGetValue(n.Input[0], out var x))
        {
            _shapeOf[n.Output[0]] = x;
            return true;
        }

        if (n.OpType == "Cast" && n.Input.Count == 1 && _batchDims.TryGetValue(n.Input[0], out var count))
        {
            _batchDims[n.Output[0]] = count;
            return true;
        }

        var shapes = n.Input.Where(_shapeOf.ContainsKey).ToList();
        if (shapes.Count == 0)
        {
            return false;
        }

        var of = _shapeOf[shapes[0]];
        if (n.OpType == "Cast" && n.Input.Count == 1)
        {
            _shapeOf[n.Output[0]] = of;
            return true;
        }

        if (n.OpType == "Slice" && shapes.Count == 1 && n.Input[0] == shapes[0] && SliceRange(n, of.Rank) is { } range && range.End <= of.Axis)
        {
            _batchDims[n.Output[0]] = (int)(range.End - range.Start);
            return true;
        }

        foreach (var s in shapes)
        {
            Block(_shapeOf[s], $"has its shape read by {n.OpType} '{label}' beyond the dimensions before its channels");
        }

        return false;
    }

    /// <summary>The elements [Start, End) a one-axis, unit-step Slice keeps of a vector of <paramref name="length"/> elements (attribute or input form), or null.</summary>
    private (long Start, long End)? SliceRange(NodeProto n, int length)
    {
        long[]? starts, ends, axes, steps = null;
        if (n.Input.Count == 1)
        {
            (starts, ends, axes) = (NodeAttributes.Ints(n, "starts"), NodeAttributes.Ints(n, "ends"), NodeAttributes.Ints(n, "axes"));
        }
        else
        {
            starts = ConstantInts(n.Input[1]);
            ends = n.Input.Count > 2 ? ConstantInts(n.Input[2]) : null;
            axes = n.Input.Count > 3 && n.Input[3].Length > 0 ? ConstantInts(n.Input[3]) : null;
            steps = n.Input.Count > 4 && n.Input[4].Length > 0 ? ConstantInts(n.Input[4]) : null;
        }

        if (starts is not [var start] || ends is not [var end] || axes is not (null or [0] or [-1]) || steps is not (null or [1]))
        {
            return null;
        }

        start = Math.Clamp(start < 0 ? start + length : start, 0, length);
        end = Math.Clamp(end < 0 ? end + length : end, 0, length);
        return end > start ? (start, end) : null;
    }

    /// <summary>
    /// A Reshape target built at run time as Concat(batch piece of one element, one-element constant): the constant,
    /// and where it is read (the Concat, or the Cast in between); null for anything else, or when another node reads either.
    /// </summary>
    private (int Node, int Slot, long Count)? BatchThenCount(string target)
    {
        if (!_producer.TryGetValue(target, out var c) || _graph.Node[c] is not { OpType: "Concat" } concat || concat.Input.Count != 2
            || _readers.GetValueOrDefault(target) != 1 || NodeAttributes.Int(concat, "axis", 0) != 0 || _batchDims.GetValueOrDefault(concat.Input[0]) != 1)
        {
            return null;
        }

        var piece = concat.Input[1];
        if (ConstantInts(piece) is [var direct])
        {
            return (c, 1, direct);
        }

        return _producer.TryGetValue(piece, out var cast) && _graph.Node[cast] is { OpType: "Cast" } castNode && _readers.GetValueOrDefault(piece) == 1
            && ConstantInts(castNode.Input[0]) is [var viaCast]
            ? (cast, 0, viaCast)
            : null;
    }
}
