namespace PipelineGate.Onnx.Facts;

/// <summary>
/// Multiply-accumulates counted for one inference of the main graph. <see cref="Macs"/> covers only
/// nodes whose cost is known (<see cref="NodesCounted"/>); <see cref="UncountedNodes"/> lists heavy
/// nodes (conv, matmul, recurrent) whose shapes could not be derived, so a reader knows when the
/// number is a lower bound. FLOPs are taken as 2 × MACs.
/// </summary>
public sealed record ComputeEstimate(
    long Macs,
    int NodesCounted,
    IReadOnlyList<string> UncountedNodes,
    int AttentionMatMuls,
    IReadOnlyList<string> AssumedSymbolicDims)
{
    public long Flops => 2 * Macs;

    /// <summary>True when every heavy node was counted.</summary>
    public bool Complete => UncountedNodes.Count == 0;
}
