namespace PipelineGate.Measure.Latency;

/// <summary>Raw per-inference timings in milliseconds, in the order measured, with the warm-up that preceded them.</summary>
public sealed record LatencySamples(string Target, double[] Milliseconds, WarmupResult Warmup, TimeSpan Elapsed);
