namespace PipelineGate.Measure.Statistics;

/// <summary>Alternative hypothesis of a Mann–Whitney test of samples <c>x</c> against <c>y</c>.</summary>
public enum MannWhitneyAlternative
{
    /// <summary>x and y differ in either direction.</summary>
    TwoSided,

    /// <summary>x tends to be smaller than y (for latencies: x is faster).</summary>
    Less,

    /// <summary>x tends to be larger than y (for latencies: x is slower).</summary>
    Greater,
}
