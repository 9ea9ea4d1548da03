using PipelineGate.Measure.Statistics;

namespace PipelineGate.Measure.Latency;

/// <summary>Samples of an interleaved A/B measurement and their comparison (see <c>LatencyEngine.Compare</c>).</summary>
public sealed record InterleavedComparison(LatencySamples Baseline, LatencySamples Candidate, ABResult Result);
