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

    /// <summary>
    /// A regression of a variant relative to the original model measured interleaved with it in this run
    /// (<c>vs: original</c>), e.g. int8 latency p50 ≤ +0% vs original.
    /// </summary>
    RegressionFromOriginal,
}
