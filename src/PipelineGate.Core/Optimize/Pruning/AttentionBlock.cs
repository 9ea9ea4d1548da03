using System.Globalization;

namespace PipelineGate.Optimize.Pruning;

/// <summary>An integer of a Reshape target that must change with the head count: element <see cref="Position"/> of input <see cref="Slot"/> of node <see cref="Node"/>.</summary>
internal sealed record ShapeEntry(int Node, int Slot, int Position, ShapeEntryKind Kind);

internal enum ShapeEntryKind
{
    /// <summary>The number of heads (Q/K/V reshape to [batch, sequence, heads, head size]).</summary>
    Heads,

    /// <summary>heads × value head size (the reshape back to [batch, sequence, hidden]).</summary>
    Width,
}

/// <summary>
/// One unfused multi-head attention as the BERT exports write it: Q, K, V projections, each reshaped to
/// [batch, sequence, heads, head size] and transposed, Q·Kᵀ, element-wise scaling and masking, Softmax over the
/// last axis, ·V, transposed and reshaped back to [batch, sequence, heads × head size], then the output projection.
/// </summary>
internal sealed record AttentionBlock(
    string Label,
    Projection Query,
    Projection Key,
    Projection Value,
    int OutputMatMul,
    Projection Output,
    int Heads,
    int HeadSize,
    int ValueHeadSize,
    IReadOnlyList<ShapeEntry> Entries,
    IReadOnlyList<string> Values)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Label} ({Heads} heads × {HeadSize})");
}
