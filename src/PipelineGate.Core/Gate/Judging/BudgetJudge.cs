using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;

namespace PipelineGate.Gate.Judging;

/// <summary>
/// Applies one budget to one measured variant (and target). Deterministic metrics are judged exactly.
/// Everything measured with uncertainty (timings, memory, sampled accuracy) is judged by
/// <see cref="BudgetRule"/>: fail when the evidence says the limit is broken, warn when the interval
/// only reaches past it, pass when the whole interval is within it. Timings are in
/// BudgetJudge.Timing.cs, accuracy and fidelity in BudgetJudge.Quality.cs.
/// </summary>
internal static partial class BudgetJudge
{
    public static CheckResult Judge(JudgeContext c, MeasureConfig measure) => c.Metric switch
    {
        { Deterministic: true } => Deterministic(c),
        { Timing: true } or { Name: "peak-memory" } => Timing(c, measure),
        _ => Quality(c),
    };

    private static CheckResult Deterministic(JudgeContext c)
    {
        var m = c.Metric;
        var actual = MetricValues.Deterministic(m.Name, c.Variant.Size)!.Value;
        var b = c.Budget;
        switch (b.Kind)
        {
            case BudgetKind.Absolute:
            {
                var limit = (b.Max ?? b.Min)!.Value.Value;
                var over = b.Max is not null ? actual > limit : actual < limit;
                return c.Check(over ? CheckOutcome.Fail : CheckOutcome.Pass,
                    $"{m.Name} is {Units.Format(actual, m.Dimension)} ({BudgetText.Of(b, m)}).", actual, limit, AbsoluteCode(m));
            }

            case BudgetKind.Regression:
            {
                var base_ = MetricValues.Deterministic(m.Name, c.Variant.BaselineSize);
                if (base_ is null)
                {
                    return NoBaseline(c, actual);
                }

                var allowed = AllowedIncrease(b.MaxRegression!.Value, base_.Value);
                var delta = actual - base_.Value;
                var outcome = delta > allowed ? CheckOutcome.Fail : CheckOutcome.Pass;
                var rel = base_.Value == 0 ? 0 : delta / base_.Value;
                return c.Check(outcome,
                    $"{m.Name} changed from {Units.Format(base_.Value, m.Dimension)} to {Units.Format(actual, m.Dimension)} ({(delta >= 0 ? "+" : "")}{Units.Format(delta, m.Dimension)}, {Units.Percent(rel)}); budget {BudgetText.Of(b, m)}.",
                    actual, base_, RegressionCode(m)) with { Delta = delta, DeltaIsRelative = false };
            }

            default:
                throw new InvalidOperationException($"max-drop does not apply to {m.Name}; the config loader rejects it.");
        }
    }

    private static CheckResult NoBaseline(JudgeContext c, double actual) => c.Budget.VsOriginal
        ? c.Check(CheckOutcome.Skipped, $"{c.Model.Name}/{c.Variant.Name} was not timed interleaved with the original on {c.TargetName}: the budget on {c.Metric.Name} vs original was not checked.", actual, null)
        : c.Check(CheckOutcome.Skipped, $"No baseline for {c.Model.Name}/{c.Variant.Name}: the regression budget on {c.Metric.Name} was not checked (see notices).", actual, null);

    private static double AllowedIncrease(Quantity limit, double baseline) =>
        limit.Dimension == UnitDimension.Relative ? limit.Value * Math.Abs(baseline) : limit.Value;

    private static PgCode AbsoluteCode(MetricInfo m) => m.Name switch
    {
        "throughput" => PgCode.ThroughputUnderBudget,
        "session-create" or "first-inference" => PgCode.ColdStartOverBudget,
        "peak-memory" => PgCode.MemoryOverBudget,
        "file-size" or "compressed-size" => PgCode.SizeOverBudget,
        "parameters" or "nonzero-parameters" => PgCode.ParametersOverBudget,
        "macs" => PgCode.ComputeOverBudget,
        _ => PgCode.LatencyOverBudget,
    };

    private static PgCode RegressionCode(MetricInfo m) => m.Name switch
    {
        "throughput" => PgCode.ThroughputRegression,
        "session-create" or "first-inference" => PgCode.ColdStartRegression,
        "peak-memory" => PgCode.MemoryRegression,
        "file-size" or "compressed-size" => PgCode.SizeRegression,
        "parameters" or "nonzero-parameters" => PgCode.ParametersRegression,
        "macs" => PgCode.ComputeRegression,
        _ => PgCode.LatencyRegression,
    };
}
