using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Gate.Judging;

/// <summary>
/// Applies one budget to one measured variant (and target). Deterministic metrics are judged exactly.
/// Timings are judged through their statistics: a value is only over budget when its confidence
/// interval says so, a point estimate over the limit with an interval that includes it is a warning
/// (the noise band), and regressions use the A/B comparison measured interleaved in this run.
/// </summary>
internal static class BudgetJudge
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

    private static CheckResult Timing(JudgeContext c, MeasureConfig measure)
    {
        var m = c.Metric;
        var b = c.Budget;
        var t = c.Target!;
        if (MetricValues.Timing(m.Name, t) is not { } v)
        {
            return c.Check(CheckOutcome.Skipped, $"{m.Name} was not measured on {t.Target}{(t.SkipReason is null ? "" : ": " + t.SkipReason)}.", null, null);
        }

        if (b.Kind == BudgetKind.Absolute)
        {
            var isMax = b.Max is not null;
            var limit = (b.Max ?? b.Min)!.Value.Value;
            var over = isMax ? v.Value > limit : v.Value < limit;
            var code = AbsoluteCode(m);
            if (v.Quantile is { Supported: false } q)
            {
                return c.Check(over ? CheckOutcome.Warn : CheckOutcome.Pass,
                    $"{m.Name} is {Units.Format(v.Value, m.Dimension)} from {q.SampleCount} samples; a {q.Probability * 100:0}th percentile needs at least {q.MinimumSamples} for a 95% interval, so it is reported, not gated. Raise measure.max-samples or duration.",
                    v.Value, limit, PgCode.PercentileUnsupported);
            }

            if (v.Interval is { } ci)
            {
                var certain = isMax ? ci.Lower > limit : ci.Upper < limit;
                var outcome = certain ? CheckOutcome.Fail : over ? CheckOutcome.Warn : CheckOutcome.Pass;
                var words = outcome switch
                {
                    CheckOutcome.Fail => "over budget",
                    CheckOutcome.Warn => "over budget by its point estimate, but its interval includes the limit (noise band)",
                    _ => "within budget",
                };
                return c.Check(outcome,
                    $"{m.Name} on {t.Target} is {Units.Format(v.Value, m.Dimension)} (95% CI {Units.Format(ci.Lower, m.Dimension)} … {Units.Format(ci.Upper, m.Dimension)}), {words}; budget {BudgetText.Of(b, m)}.",
                    v.Value, limit, code) with { DeltaLower = ci.Lower, DeltaUpper = ci.Upper };
            }

            // No interval (cold start, throughput, memory): the noise band is the configured threshold around the limit.
            var band = isMax ? limit * (1 + measure.Threshold) : limit / (1 + measure.Threshold);
            var clear = isMax ? v.Value > band : v.Value < band;
            return c.Check(clear ? CheckOutcome.Fail : over ? CheckOutcome.Warn : CheckOutcome.Pass,
                $"{m.Name} on {t.Target} is {Units.Format(v.Value, m.Dimension)}; budget {BudgetText.Of(b, m)}{(over && !clear ? $" (within the ±{measure.Threshold * 100:0.#}% noise band)" : "")}.",
                v.Value, limit, code);
        }

        return TimingRegression(c, v.Value, measure);
    }

    private static CheckResult TimingRegression(JudgeContext c, double actual, MeasureConfig measure)
    {
        var m = c.Metric;
        var b = c.Budget;
        var t = c.Target!;
        var limit = b.MaxRegression!.Value.Value;
        if (t.BaselineLatency?.SamplesMs is { } baseSamples && t.Latency?.SamplesMs is { } candSamples && m.Name is "latency.p50" or "latency.mean" or "latency.p90")
        {
            // Interleaved samples (a comparison exists) are judged block-paired; a stored baseline's are independent.
            var ab = ABComparison.Compare(baseSamples, candSamples,
                ABOptions.Default with { Threshold = limit, Confidence = measure.Confidence, BlockSize = t.Comparison?.Options.BlockSize ?? 0 });
            var p90 = m.Name == "latency.p90";
            var ratio = p90 ? ab.P90Ratio : ab.MedianRatio;
            var ci = p90 ? ab.P90RatioInterval : ab.MedianRatioInterval;
            var outcome = p90
                ? ci.Lower > 1 + limit ? CheckOutcome.Fail : ratio > 1 + limit ? CheckOutcome.Warn : CheckOutcome.Pass
                : ab.Verdict == Verdict.Slower ? CheckOutcome.Fail : ab.InNoiseBand && ratio > 1 ? CheckOutcome.Warn : CheckOutcome.Pass;
            var baseValue = p90 ? t.BaselineLatency.Summary.P90.Value
                : m.Name == "latency.mean" ? t.BaselineLatency.Summary.Mean : t.BaselineLatency.Summary.Median.Value;
            var words = outcome switch
            {
                CheckOutcome.Fail => "slower beyond the budget",
                CheckOutcome.Warn => "possibly slower, but not beyond the budget with confidence (noise band)",
                _ => ab.Verdict == Verdict.Faster ? "faster" : "no significant change",
            };
            var judgedOn = m.Name == "latency.mean" ? " (judged on the median, which resists scheduler spikes)" : "";
            return c.Check(outcome,
                $"{m.Name} on {t.Target}: {Units.Format(baseValue, m.Dimension)} → {Units.Format(actual, m.Dimension)}{judgedOn}, median {Units.Percent(ratio - 1)} (95% CI {Units.Percent(ci.Lower - 1)} … {Units.Percent(ci.Upper - 1)}, {ab.TestName} p = {ab.PValueSlower:0.###}{(t.Comparison is { Extensions: > 0 } e ? ", " + e.ExtensionNote() : "")}): {words}; budget {BudgetText.Of(b, m)}.",
                actual, baseValue, RegressionCode(m)) with
            {
                Delta = ratio - 1,
                DeltaIsRelative = true,
                DeltaLower = ci.Lower - 1,
                DeltaUpper = ci.Upper - 1,
                PValue = ab.PValueSlower,
            };
        }

        if (MetricValues.Timing(m.Name, t, baseline: true) is not { } baseline)
        {
            return NoBaseline(c, actual);
        }

        // No paired samples for this metric (tail percentiles, cold start, throughput): report the change; only a
        // warning can come of it, because a regression is claimed only through statistics.
        var change = m.Direction == MetricDirection.HigherIsBetter ? baseline.Value / actual - 1 : actual / baseline.Value - 1;
        return c.Check(change > limit ? CheckOutcome.Warn : CheckOutcome.Pass,
            $"{m.Name} on {t.Target}: {Units.Format(baseline.Value, m.Dimension)} → {Units.Format(actual, m.Dimension)} ({Units.Percent(change)} worse); without paired samples this is reported, not failed. Budget {BudgetText.Of(b, m)}.",
            actual, baseline.Value, RegressionCode(m)) with { Delta = change, DeltaIsRelative = true };
    }

    private static CheckResult Quality(JudgeContext c)
    {
        var m = c.Metric;
        var b = c.Budget;
        var name = m.Name == "accuracy" ? c.Model.Metric : m.Name;
        var lowerIsBetter = MetricCatalog.Find(name)?.Direction == MetricDirection.LowerIsBetter;
        if (m.Name.StartsWith("fidelity.", StringComparison.Ordinal))
        {
            return Fidelity(c);
        }

        var actual = MetricValues.Quality(m.Name, c.Variant.Accuracy, c.Model.Metric);
        if (actual is null)
        {
            return c.Check(CheckOutcome.Skipped, $"{name} was not evaluated for {c.Variant.Name} (no evaluation data or a different metric is configured).", null, null);
        }

        switch (b.Kind)
        {
            case BudgetKind.Absolute:
            {
                var limit = (b.Max ?? b.Min)!.Value.Value;
                var bad = b.Max is not null ? actual > limit : actual < limit;
                return c.Check(bad ? CheckOutcome.Fail : CheckOutcome.Pass,
                    $"{name} of {c.Variant.Name} is {actual.Value:0.####} on {c.Variant.Accuracy!.Samples} samples; budget {BudgetText.Of(b, m)}.", actual, limit, PgCode.AccuracyUnderBudget);
            }

            case BudgetKind.DropFromOriginal:
            {
                var original = MetricValues.Quality(m.Name, c.Original?.Accuracy, c.Model.Metric);
                if (original is null)
                {
                    return c.Check(CheckOutcome.Skipped, $"The original model's {name} is unknown, so the drop of {c.Variant.Name} cannot be judged.", actual, null);
                }

                var drop = lowerIsBetter ? actual.Value - original.Value : original.Value - actual.Value;
                var allowed = b.MaxDrop!.Value.Value;
                var paired = c.Variant.Accuracy?.ChangeFromOriginal;
                var test = paired is null ? "" : $", 95% CI {Units.Points(paired.Lower)} … {Units.Points(paired.Upper)}{(paired.PValue is { } p ? $", {paired.Test} p = {p:0.###}" : "")}";
                return c.Check(drop > allowed + 1e-12 ? CheckOutcome.Fail : CheckOutcome.Pass,
                    $"{name}: original {original:0.####} → {c.Variant.Name} {actual:0.####} ({Units.Points(-drop)}{test}); budget {BudgetText.Of(b, m)}.",
                    actual, original, PgCode.AccuracyDropFromOriginal) with
                {
                    Delta = -drop,
                    DeltaIsRelative = false,
                    DeltaLower = paired?.Lower,
                    DeltaUpper = paired?.Upper,
                    PValue = paired?.PValue,
                };
            }

            default:
            {
                var baseline = MetricValues.Quality(m.Name, c.Variant.BaselineAccuracy, c.Model.Metric);
                if (baseline is null)
                {
                    return NoBaseline(c, actual.Value);
                }

                var worse = lowerIsBetter ? actual.Value - baseline.Value : baseline.Value - actual.Value;
                var limit = b.MaxRegression!.Value;
                var allowed = limit.Dimension == UnitDimension.Relative ? limit.Value * Math.Abs(baseline.Value) : limit.Value;
                return c.Check(worse > allowed + 1e-12 ? CheckOutcome.Fail : CheckOutcome.Pass,
                    $"{name}: base {baseline:0.####} → this change {actual:0.####} ({Units.Points(-worse)}); budget {BudgetText.Of(b, m)}.",
                    actual, baseline, PgCode.AccuracyRegression) with { Delta = -worse, DeltaIsRelative = false };
            }
        }
    }

    private static CheckResult Fidelity(JudgeContext c)
    {
        var m = c.Metric;
        var b = c.Budget;
        var actual = MetricValues.Fidelity(m.Name, c.Variant.Fidelity);
        if (actual is null)
        {
            return c.Check(CheckOutcome.Skipped,
                c.Variant.Fidelity is null ? $"{m.Name} applies to optimized variants evaluated on data; {c.Variant.Name} has none." : $"{m.Name} is not defined for these outputs.", null, null);
        }

        var limit = (b.Max ?? b.Min ?? b.MaxDrop)!.Value.Value;
        var bad = b.Min is not null ? actual < limit : actual > limit;
        var nan = c.Variant.Fidelity!.NaNCount + c.Variant.Fidelity.InfCount;
        return c.Check(bad || nan > 0 ? CheckOutcome.Fail : CheckOutcome.Pass,
            $"{m.Name} of {c.Variant.Name} vs original is {actual:0.#####} on {c.Variant.Fidelity.Samples} samples{(nan > 0 ? $"; {nan} NaN/Inf outputs" : "")}; budget {BudgetText.Of(b, m)}.",
            actual, limit, PgCode.AccuracyDropFromOriginal);
    }

    private static CheckResult NoBaseline(JudgeContext c, double actual) =>
        c.Check(CheckOutcome.Skipped, $"No baseline for {c.Model.Name}/{c.Variant.Name}: the regression budget on {c.Metric.Name} was not checked (see notices).", actual, null);

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
