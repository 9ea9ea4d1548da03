using PipelineGate.Measure.Environment;
using PipelineGate.Measure.Size;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Measure.Bench;

/// <summary>The result of <c>pipelinegate bench</c> (JSON schema pipelinegate/bench/v1, docs/schemas/bench-v1.md).</summary>
public sealed record BenchResult
{
    public const string SchemaId = "pipelinegate/bench/v1";

    public string Schema { get; init; } = SchemaId;

    public required RunnerFingerprint Runner { get; init; }

    public required ModelMeasurement Candidate { get; init; }

    public ModelMeasurement? Baseline { get; init; }

    /// <summary>Candidate vs baseline, measured interleaved in this run.</summary>
    public ABResult? Comparison { get; init; }

    public required BenchSettings Settings { get; init; }
}

/// <summary>The budgets the measurement ran with, so a reader can judge how much to trust it.</summary>
public sealed record BenchSettings(double DurationSeconds, int MinSamples, int MaxSamples, int BlockSize, double Threshold, double Confidence, bool Interleaved)
{
    /// <summary>Most extensions of an undecided A/B comparison (each another duration per model).</summary>
    public int MaxExtensions { get; init; }
}

/// <summary>Everything measured for one model.</summary>
public sealed record ModelMeasurement
{
    public required string Path { get; init; }

    public required LatencyMeasurement Latency { get; init; }

    public required ColdStartMeasurement ColdStart { get; init; }

    public required MemoryMeasurement Memory { get; init; }

    public ThroughputMeasurement? Throughput { get; init; }

    public required SizeReport Size { get; init; }
}

public sealed record LatencyMeasurement(SampleSummary Summary, int WarmupIterations, bool WarmupSettled, double ElapsedSeconds, double[]? SamplesMs);

/// <summary>Medians over fresh sessions: creating the session, and the first inference on it.</summary>
public sealed record ColdStartMeasurement(double SessionCreateMs, double FirstInferenceMs, int Repeats);

/// <summary>
/// Resident memory: before the session, after creating it, and the peak while it ran; attributable =
/// peak − before. <see cref="PeakIsExact"/> is false where the OS cannot reset the peak (non-Linux),
/// so the peak may include earlier work.
/// </summary>
public sealed record MemoryMeasurement(long RssBeforeBytes, long RssAfterSessionBytes, long PeakBytes, long AttributableBytes, long WeightBytes, bool PeakIsExact);

public sealed record ThroughputMeasurement(int Concurrency, double InferencesPerSecond, long Inferences, double Seconds);
