using PipelineGate.Gate.Results;

namespace PipelineGate.Gate.Config;

/// <summary>
/// One budget from pipelinegate.yml. Exactly one limit is set: <see cref="Max"/> or <see cref="Min"/>
/// (absolute), <see cref="MaxDrop"/> (vs the original model, quality metrics), or
/// <see cref="MaxRegression"/> (vs the baseline, or with <see cref="VsOriginal"/> vs the original model: Relative for "5%", or in the metric's own unit,
/// where 0 means "must not increase at all").
/// </summary>
public sealed record BudgetConfig
{
    public required string Metric { get; init; }

    /// <summary>The variant it applies to; null = every variant (including the original).</summary>
    public string? Variant { get; init; }

    /// <summary>The target it applies to (per-target metrics); null = every target.</summary>
    public string? Target { get; init; }

    public Quantity? Max { get; init; }

    public Quantity? Min { get; init; }

    public Quantity? MaxDrop { get; init; }

    public Quantity? MaxRegression { get; init; }

    /// <summary>
    /// True for <c>vs: original</c>: a <see cref="MaxRegression"/> against the original model timed interleaved with
    /// the variant in this run, instead of against the baseline.
    /// </summary>
    public bool VsOriginal { get; init; }

    /// <summary>Error fails the gate; warning only reports.</summary>
    public bool WarningOnly { get; init; }

    public required SourceLocation Location { get; init; }

    public BudgetKind Kind => MaxRegression is not null ? (VsOriginal ? BudgetKind.RegressionFromOriginal : BudgetKind.Regression) : MaxDrop is not null ? BudgetKind.DropFromOriginal : BudgetKind.Absolute;

    /// <summary>Identity used when a profile overrides a budget: same metric, variant, target and kind.</summary>
    public string Key => $"{Metric}|{Variant ?? "*"}|{Target ?? "*"}|{Kind}";
}
