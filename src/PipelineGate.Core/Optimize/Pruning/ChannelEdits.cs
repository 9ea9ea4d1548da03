namespace PipelineGate.Optimize.Pruning;

/// <summary>A value whose channels are tracked: the channel axis, the rank, and one channel id per position (Flatten repeats ids).</summary>
internal sealed record TrackedValue(int Axis, int Rank, int[] Ids);

internal enum EditKind
{
    /// <summary>Keep the surviving positions of a constant input along an axis.</summary>
    Slice,

    /// <summary>A depthwise Conv's group attribute becomes the surviving channel count.</summary>
    Group,

    /// <summary>A Reshape's 2-D target [batch, features] gets the surviving feature count.</summary>
    ReshapeTarget,

    /// <summary>The one-element constant that a run-time Reshape target [batch from Shape, features] concatenates gets the surviving feature count.</summary>
    TargetCount,
}

/// <summary>Where an edit sits: at the layer that makes the channels, at a layer that reads them (sums over them), or in between.</summary>
internal enum EditRole
{
    Producer,
    Consumer,
    Between,
}

/// <summary>One change the surgery makes when channels go; <see cref="Ids"/> are the channel ids of the positions along <see cref="Axis"/>.</summary>
internal sealed record ChannelEdit(int Node, int Slot, int Axis, int[] Ids, EditKind Kind, EditRole Role);

/// <summary>A node whose output channels are a source of prunable channels: Conv (group 1), Gemm, MatMul with a constant weight.</summary>
internal sealed record ChannelProducer(int Node, string Label, int WeightSlot, int WeightAxis, int[] Ids);
