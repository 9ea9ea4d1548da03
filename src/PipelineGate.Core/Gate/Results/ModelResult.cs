using PipelineGate.Measure.Bench;
using PipelineGate.Measure.Size;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Gate.Results;

/// <summary>A configured model and every variant built and measured from it.</summary>
public sealed record ModelResult(string Name, string Path, IReadOnlyList<VariantResult> Variants);

/// <summary>
/// One variant (the original, or a recipe such as int8) with its deterministic facts, accuracy, and
/// per-target timings; <see cref="BaselineSize"/> and <see cref="BaselineAccuracy"/> hold the
/// baseline's values when a baseline was available.
/// </summary>
public sealed record VariantResult
{
    public required string Name { get; init; }

    /// <summary>Recipe steps in order, e.g. ["quantize(mode=dynamic)"]; empty for the original.</summary>
    public required IReadOnlyList<string> Recipe { get; init; }

    /// <summary>Where the built variant was written (in the output's cache), or the model path for the original.</summary>
    public required string Path { get; init; }

    public required SizeReport Size { get; init; }

    public SizeReport? BaselineSize { get; init; }

    public AccuracyResult? Accuracy { get; init; }

    public AccuracyResult? BaselineAccuracy { get; init; }

    public required IReadOnlyList<TargetResult> Targets { get; init; }

    /// <summary>Notes from the recipe, e.g. nodes kept in float by accuracy-aware fallback and why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>An accuracy or fidelity metric over the evaluation data.</summary>
public sealed record AccuracyResult(string Metric, double Value, int Samples, string? Reference = null);

/// <summary>Timings of one variant on one target; <see cref="Status"/> says why nothing was measured when skipped.</summary>
public sealed record TargetResult
{
    public required string Target { get; init; }

    /// <summary>measured, or skipped.</summary>
    public required string Status { get; init; }

    public string? SkipReason { get; init; }

    public LatencyMeasurement? Latency { get; init; }

    public LatencyMeasurement? BaselineLatency { get; init; }

    /// <summary>Candidate vs baseline, measured interleaved in this run.</summary>
    public ABResult? Comparison { get; init; }

    public ColdStartMeasurement? ColdStart { get; init; }

    public MemoryMeasurement? Memory { get; init; }

    public ThroughputMeasurement? Throughput { get; init; }
}
