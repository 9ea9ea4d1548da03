namespace PipelineGate.Measure.Latency;

/// <summary>How warm-up went: runs spent, and whether timings settled before the warm-up budget ran out.</summary>
public sealed record WarmupResult(int Iterations, bool Settled, double LastChunkMedianMs);
