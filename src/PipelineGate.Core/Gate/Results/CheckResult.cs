using PipelineGate.Diagnostics;

namespace PipelineGate.Gate.Results;

/// <summary>
/// One budget applied to one measured value. <see cref="Actual"/> and <see cref="Reference"/> are in
/// the metric's base unit (<see cref="Unit"/>: ms, bytes, count, fraction...); <see cref="Delta"/> and
/// its interval are relative (0.12 = +12%) for timings and regression budgets in percent, absolute
/// otherwise (<see cref="DeltaIsRelative"/>). The source location points into pipelinegate.yml so that
/// MSBuild and editors can jump to the budget that failed.
/// </summary>
public sealed record CheckResult
{
    /// <summary>Stable id: model/variant/target/metric/kind, used as the JUnit test name.</summary>
    public required string Id { get; init; }

    public required string Model { get; init; }

    public required string Variant { get; init; }

    /// <summary>cpu, cuda, tensorrt, or "—" for target-independent metrics (size, accuracy).</summary>
    public required string Target { get; init; }

    /// <summary>Metric name as in the config: latency.p90, file-size, accuracy, parameters...</summary>
    public required string Metric { get; init; }

    public required BudgetKind Kind { get; init; }

    /// <summary>The budget as written ("≤ 12 ms", "≤ +5% vs base", "drop ≤ 0.5 pp").</summary>
    public required string BudgetText { get; init; }

    public required string Unit { get; init; }

    public double? Actual { get; init; }

    /// <summary>Baseline value (regression), original model's value (drop), or the limit (absolute).</summary>
    public double? Reference { get; init; }

    public double? Delta { get; init; }

    public bool DeltaIsRelative { get; init; }

    public double? DeltaLower { get; init; }

    public double? DeltaUpper { get; init; }

    /// <summary>p-value of the test behind a timing or accuracy verdict, if one was made.</summary>
    public double? PValue { get; init; }

    /// <summary>
    /// Whether the test behind the check found a statistically significant change (either direction) at the
    /// configured confidence; null when no test was made. A significant change whose interval lies within the
    /// budget passes: it is kept here and in <see cref="Note"/> so that a reader can still see it.
    /// </summary>
    public bool? Significant { get; init; }

    /// <summary>Information that is not a warning, e.g. "significant +0.4%, within ≤ +10% vs base", or how a stored baseline was judged.</summary>
    public string? Note { get; init; }

    /// <summary>True for metrics that are exact (size, params, MACs); false for timings and sampled accuracy.</summary>
    public required bool Deterministic { get; init; }

    public required CheckOutcome Outcome { get; init; }

    /// <summary>The diagnostic code of a warning or failure (PG4xxx).</summary>
    public PgCode? Code { get; init; }

    /// <summary>The code as printed, e.g. "PG4201" (what MSBuild and CI annotations show).</summary>
    public string? CodeText => Code is { } c ? Diagnostic.FormatCode(c) : null;

    /// <summary>One sentence saying what happened, with numbers.</summary>
    public required string Message { get; init; }

    /// <summary>True when a failing timing was measured a second time before the verdict stood.</summary>
    public bool Remeasured { get; init; }

    public string? File { get; init; }

    public int? Line { get; init; }

    public int? Column { get; init; }
}
