using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Statistics;
using PipelineGate.Runtime;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Bench;

/// <summary>What <see cref="ModelBenchmark"/> measures and how.</summary>
public sealed record BenchOptions
{
    public SessionConfig Session { get; init; } = SessionConfig.Default;

    public LatencyOptions Latency { get; init; } = LatencyOptions.Default;

    public ABOptions Comparison { get; init; } = ABOptions.Default;

    /// <summary>Inputs to time with; null makes seeded random inputs (symbolic dims from the session's free dims, else 1).</summary>
    public IReadOnlyDictionary<string, TensorData>? Inputs { get; init; }

    /// <summary>Concurrent requests for the throughput phase; 0 skips it.</summary>
    public int ThroughputConcurrency { get; init; }

    public TimeSpan ThroughputDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Fresh sessions created to time session creation and first inference (median reported).</summary>
    public int ColdStartRepeats { get; init; } = 3;

    /// <summary>Keep every raw timing in the result (for charts and later re-analysis).</summary>
    public bool KeepSamples { get; init; } = true;
}
