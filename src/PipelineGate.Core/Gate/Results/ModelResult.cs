using PipelineGate.Measure.Bench;
using PipelineGate.Measure.Size;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Gate.Results;

/// <summary>
/// A configured model and every variant built and measured from it. <see cref="Signature"/> is the model's
/// inputs and outputs (with their hash), which a later run compares against when this file is its baseline;
/// results files written before the signature gate have none. <see cref="Variants"/> is empty when the model
/// cannot load on the pinned ONNX Runtime (its runtime-support checks say why).
/// </summary>
public sealed record ModelResult(string Name, string Path, IReadOnlyList<VariantResult> Variants)
{
    public Onnx.Facts.ModelSignature? Signature { get; init; }
}

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

    /// <summary>Agreement with the original model's outputs on the evaluation data (variants only).</summary>
    public FidelityResult? Fidelity { get; init; }

    /// <summary>
    /// <c>similarity.spearman</c> on the model's labelled sentence pairs (<c>data: { pairs }</c>): Spearman's ρ of the
    /// pair cosines against the scores, with its bootstrap interval over the pairs and, for variants, the paired
    /// change from the original (same resampled pairs for both).
    /// </summary>
    public AccuracyResult? Similarity { get; init; }

    /// <summary>The baseline's <see cref="Similarity"/>, when a baseline was available.</summary>
    public AccuracyResult? BaselineSimilarity { get; init; }

    public required IReadOnlyList<TargetResult> Targets { get; init; }

    /// <summary>Notes from the recipe, e.g. nodes kept in float by accuracy-aware fallback and why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>
/// The configured accuracy metric over the evaluation data. <see cref="ChangeFromOriginal"/> is the paired
/// comparison with the original model on the same samples (variants only).
/// </summary>
public sealed record AccuracyResult(string Metric, double Value, int Samples, PairedChange? ChangeFromOriginal = null)
{
    /// <summary>Lower end of the 95% bootstrap interval of <see cref="Value"/> over the samples (top1 and similarity.spearman only).</summary>
    public double? Lower { get; init; }

    /// <summary>Upper end of that interval.</summary>
    public double? Upper { get; init; }

    /// <summary>The paired comparison with the baseline's variant on the same samples (top1 and similarity.spearman, baseline measured in this run).</summary>
    public PairedChange? ChangeFromBaseline { get; init; }
}

/// <summary>
/// A paired difference (variant − original) with its bootstrap interval and McNemar's p-value (top1), or no
/// p-value and the test "paired bootstrap" (similarity.spearman: the difference of ρ on the same pairs).
/// </summary>
public sealed record PairedChange(double Difference, double Lower, double Upper, double? PValue, string Test);

/// <summary>How closely a variant's outputs follow the original model's on the same samples.</summary>
public sealed record FidelityResult(double? Top1Agreement, double? MeanKlDivergence, double MaxAbsDifference, double RelativeL2, long NaNCount, long InfCount, int Samples)
{
    /// <summary>Mean over samples of the cosine similarity with the original's output (for text: of the sentence embeddings).</summary>
    public double? MeanCosine { get; init; }

    /// <summary>The smallest of those cosines: the worst sample.</summary>
    public double? MinCosine { get; init; }

    /// <summary>Share of samples whose nearest other sample is the same as under the original (sentence embeddings only).</summary>
    public double? NearestNeighbourAgreement { get; init; }
}

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

    public ColdStartMeasurement? BaselineColdStart { get; init; }

    public MemoryMeasurement? BaselineMemory { get; init; }

    public ThroughputMeasurement? BaselineThroughput { get; init; }

    /// <summary>
    /// This variant timed interleaved with the original model in this run (variants only), so that drift cancels
    /// as it does against a base-branch baseline. What the PG4006 notice and <c>vs: original</c> budgets use.
    /// </summary>
    public OriginalComparison? VsOriginal { get; init; }
}

/// <summary>
/// A variant and the original model timed interleaved (ABBA blocks) on one target: both latencies from that run
/// and their A/B comparison, whose ratios are variant / original (&gt; 1: the variant is slower).
/// </summary>
public sealed record OriginalComparison(LatencyMeasurement Original, LatencyMeasurement Variant, ABResult Comparison);
