namespace PipelineGate.Gate.Results;

/// <summary>What a budget compares against.</summary>
public enum BudgetKind
{
    /// <summary>An absolute limit (max or min), e.g. latency p90 ≤ 12 ms.</summary>
    Absolute,

    /// <summary>A drop relative to the original (unoptimized) model, e.g. accuracy drop ≤ 0.5 pp.</summary>
    DropFromOriginal,

    /// <summary>A regression relative to the baseline (base branch or stored results).</summary>
    Regression,
}
