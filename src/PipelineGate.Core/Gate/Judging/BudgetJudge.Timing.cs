using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Statistics;
using static System.FormattableString;

namespace PipelineGate.Gate.Judging;

/// <summary>Timings, throughput and memory: every outcome comes from <see cref="BudgetRule"/>.</summary>
internal static partial class BudgetJudge
{
    private static CheckResult Timing(JudgeContext c, MeasureConfig measure)
    {
        var t = c.Target!;
        if (c.Budget.VsOriginal)
        {
            // The original timed interleaved with this variant stands where a base-branch baseline would.
            t = t with
            {
                Latency = t.VsOriginal?.Variant, BaselineLatency = t.VsOriginal?.Original, Comparison = t.VsOriginal?.Comparison,
                BaselineColdStart = null, BaselineMemory = null, BaselineThroughput = null,
            };
            c = c with { Target = t };
        }

        if (MetricValues.Timing(c.Metric.Name, t) is not { } v)
        {
            return c.Check(CheckOutcome.Skipped, $"{c.Metric.Name} was not measured on {t.Target}{(t.SkipReason is null ? "" : ": " + t.SkipReason)}.", null, null);
        }

        return c.Budget.Kind == BudgetKind.Absolute ? TimingLimit(c, v.Value, v.Interval, v.Quantile, measure) : TimingRegression(c, v.Value, measure);
    }

    /// <summary>A max or min on a timing: its interval (or, without one, the band) against the limit.</summary>
    private static CheckResult TimingLimit(JudgeContext c, double value, ConfidenceInterval? interval, QuantileEstimate? quantile, MeasureConfig measure)
    {
        var m = c.Metric;
        var b = c.Budget;
        var t = c.Target!;
        var isCeiling = b.Max is not null;
        var limit = (b.Max ?? b.Min)!.Value.Value;
        var shown = Units.Format(value, m.Dimension);
        var budget = BudgetText.Of(b, m);
        if (quantile is { Supported: false } q)
        {
            // Too few samples for an interval: the band says whether the limit is within reach; a warning is the most that comes of it.
            var near = BudgetRule.Judge(Estimate.WithBand(value, measure.Threshold), limit, isCeiling) != CheckOutcome.Pass;
            return c.Check(near ? CheckOutcome.Warn : CheckOutcome.Pass,
                Invariant($"{m.Name} is {shown} from {q.SampleCount} samples; a {q.Probability * 100:0}th percentile needs at least {q.MinimumSamples} for a 95% interval, so it is reported, not gated{(near ? $" (the ±{Units.Band(measure.Threshold)} band around it reaches the limit)" : "")}. Raise measure.max-samples or duration."),
                value, limit, PgCode.PercentileUnsupported);
        }

        if (interval is { } ci)
        {
            var outcome = BudgetRule.Judge(new Estimate(value, ci.Lower, ci.Upper), limit, isCeiling);
            return c.Check(outcome,
                $"{m.Name} on {t.Target} is {shown} ({Units.Level(ci.Level)} CI {Units.Format(ci.Lower, m.Dimension)} … {Units.Format(ci.Upper, m.Dimension)}), {BudgetRule.Words(outcome, isCeiling)}; budget {budget}.",
                value, limit, AbsoluteCode(m)) with { DeltaLower = ci.Lower, DeltaUpper = ci.Upper };
        }

        // No interval (cold start, throughput, memory): the band ×/÷ (1 + threshold) around the value stands in for one.
        var band = Estimate.WithBand(value, measure.Threshold);
        var result = BudgetRule.Judge(band, limit, isCeiling);
        return c.Check(result,
            $"{m.Name} on {t.Target} is {shown} (no interval; with the ±{Units.Band(measure.Threshold)} band {Units.Format(band.Lower, m.Dimension)} … {Units.Format(band.Upper, m.Dimension)}), {BudgetRule.Words(result, isCeiling)}; budget {budget}.",
            value, limit, AbsoluteCode(m));
    }

    /// <summary>
    /// A max-regression on a timing. Interleaved samples (a ref baseline) are judged by the A/B comparison at the
    /// budget's threshold; a stored baseline's were measured in another session, where drift does not cancel and
    /// the stored model cannot be measured again, so failing against it needs the whole interval past the budget
    /// by a further measure.threshold: (1 + budget) × (1 + threshold).
    /// </summary>
    private static CheckResult TimingRegression(JudgeContext c, double actual, MeasureConfig measure)
    {
        var m = c.Metric;
        var b = c.Budget;
        var t = c.Target!;
        var limit = b.MaxRegression!.Value.Value;
        var interleaved = t.Comparison is not null;
        var failLimit = interleaved ? 1 + limit : (1 + limit) * (1 + measure.Threshold);
        var stored = interleaved ? "" : $"; baseline from stored results, not measured interleaved, so failing needs the interval past {Units.Percent(failLimit - 1)}";
        var storedNote = interleaved ? null : "compared with stored results, not measured interleaved";
        var budget = BudgetText.Of(b, m);
        if (t.BaselineLatency?.SamplesMs is { } baseSamples && t.Latency?.SamplesMs is { } candSamples && m.Name is "latency.p50" or "latency.mean" or "latency.p90")
        {
            // Interleaved samples (a comparison exists) are judged block-paired; a stored baseline's are independent.
            var ab = ABComparison.Compare(baseSamples, candSamples,
                ABOptions.Default with { Threshold = limit, Confidence = measure.Confidence, BlockSize = t.Comparison?.Options.BlockSize ?? 0 });
            var alpha = 1 - measure.Confidence;
            var p90 = m.Name == "latency.p90";
            var ratio = p90 ? ab.P90Ratio : ab.MedianRatio;
            var ci = p90 ? ab.P90RatioInterval : ab.MedianRatioInterval;

            // The median's evidence is the A/B verdict (significant, and beyond the threshold by a standard error),
            // whose false-alarm and detection rates are measured (docs/performance.md); the p90, and anything against
            // stored results, needs its whole interval past the fail limit.
            var broken = interleaved && !p90 ? ab.Verdict == Verdict.Slower : (p90 || ab.PValueSlower < alpha) && ci.Lower > failLimit;
            var outcome = BudgetRule.Judge(new Estimate(ratio, ci.Lower, ci.Upper), 1 + limit, isCeiling: true, broken);
            // Significant by the test whose p-value the message prints (for the p90, by its own interval excluding 1).
            var significant = p90 ? ci.Lower > 1 || ci.Upper < 1 : Math.Min(ab.PValueSlower, ab.PValueFaster) < alpha;
            var baseValue = p90 ? t.BaselineLatency.Summary.P90.Value
                : m.Name == "latency.mean" ? t.BaselineLatency.Summary.Mean : t.BaselineLatency.Summary.Median.Value;
            var change = Units.Percent(ratio - 1);
            var interval = $"{Units.Level(ci.Level)} CI {Units.Percent(ci.Lower - 1)} … {Units.Percent(ci.Upper - 1)}";
            var words = outcome switch
            {
                CheckOutcome.Fail => "slower beyond the budget",
                CheckOutcome.Warn => "undecided: the interval reaches past the budget",
                _ when significant && ratio >= 1 => "a significant change, but its whole interval is within the budget",
                _ when significant => "significantly faster",
                _ => "no significant change",
            };
            var judgedOn = m.Name == "latency.mean" ? " (judged on the median, which resists scheduler spikes)" : "";
            var extended = t.Comparison is { Extensions: > 0 } e ? ", " + e.ExtensionNote() : "";
            var subject = b.VsOriginal ? $"{m.Name} of {c.Variant.Name} vs original on {t.Target}" : $"{m.Name} on {t.Target}";
            return c.Check(outcome,
                $"{subject}: {Units.Format(baseValue, m.Dimension)} → {Units.Format(actual, m.Dimension)}{judgedOn}, {(p90 ? "p90" : "median")} {change} ({interval}, {ab.TestName} {PValueText.Format(ab.PValueSlower)}{extended}){stored}: {words}; budget {budget}.",
                actual, baseValue, RegressionCode(m)) with
            {
                Delta = ratio - 1,
                DeltaIsRelative = true,
                DeltaLower = ci.Lower - 1,
                DeltaUpper = ci.Upper - 1,
                PValue = ab.PValueSlower,
                Significant = significant,
                Note = Notes(outcome == CheckOutcome.Pass && significant ? $"significant {change} ({interval}), within {budget}" : null, storedNote),
            };
        }

        if (MetricValues.Timing(m.Name, t, baseline: true) is not { } baseline)
        {
            return NoBaseline(c, actual);
        }

        return UnpairedRegression(c, actual, baseline.Value, baseline.Interval, measure, failLimit, stored, storedNote);
    }

    /// <summary>
    /// A regression without paired samples (tail percentiles, cold start, throughput, memory). Tail percentiles
    /// have an interval on each side, and their quotient bounds the ratio's (conservatively: when both 95%
    /// intervals hold, at least 90% of the time, the ratio lies inside); the others get the band.
    /// </summary>
    private static CheckResult UnpairedRegression(
        JudgeContext c, double actual, double baseline, ConfidenceInterval? baselineInterval, MeasureConfig measure, double failLimit, string stored, string? storedNote)
    {
        var m = c.Metric;
        var t = c.Target!;
        var limit = c.Budget.MaxRegression!.Value.Value;
        var budget = BudgetText.Of(c.Budget, m);
        if (!(actual > 0 && baseline > 0))
        {
            return c.Check(CheckOutcome.Skipped,
                $"{m.Name} on {t.Target}: {Units.Format(baseline, m.Dimension)} → {Units.Format(actual, m.Dimension)}; a relative budget needs both to be above zero, so it was not judged. Budget {budget}.",
                actual, baseline);
        }

        var higherIsBetter = m.Direction == MetricDirection.HigherIsBetter;
        var ratio = higherIsBetter ? baseline / actual : actual / baseline; // > 1 is worse
        var currentInterval = MetricValues.Timing(m.Name, t)?.Interval;
        var hasInterval = currentInterval is { Lower: > 0 } && baselineInterval is { Lower: > 0 };
        Estimate e;
        string how;
        if (hasInterval)
        {
            var (ci, bi) = (currentInterval!.Value, baselineInterval!.Value);
            e = higherIsBetter ? new Estimate(ratio, bi.Lower / ci.Upper, bi.Upper / ci.Lower) : new Estimate(ratio, ci.Lower / bi.Upper, ci.Upper / bi.Lower);
            how = $"from both {Units.Level(ci.Level)} CIs {Units.Percent(e.Lower - 1)} … {Units.Percent(e.Upper - 1)}";
        }
        else
        {
            e = Estimate.WithBand(ratio, measure.Threshold);
            how = $"no interval; with the ±{Units.Band(measure.Threshold)} band {Units.Percent(e.Lower - 1)} … {Units.Percent(e.Upper - 1)}";
        }

        var outcome = BudgetRule.Judge(e, 1 + limit, isCeiling: true, broken: e.Lower > failLimit);
        var words = outcome switch
        {
            CheckOutcome.Fail => "worse beyond the budget",
            CheckOutcome.Warn => "undecided: the interval reaches past the budget",
            _ => "within budget",
        };
        return c.Check(outcome,
            $"{m.Name} on {t.Target}: {Units.Format(baseline, m.Dimension)} → {Units.Format(actual, m.Dimension)} ({Units.Percent(ratio - 1)} worse; {how}){stored}: {words}; budget {budget}.",
            actual, baseline, RegressionCode(m)) with
        {
            Delta = ratio - 1,
            DeltaIsRelative = true,
            DeltaLower = hasInterval ? e.Lower - 1 : null,
            DeltaUpper = hasInterval ? e.Upper - 1 : null,
            Significant = hasInterval ? e.Lower > 1 || e.Upper < 1 : null,
            Note = storedNote,
        };
    }

    private static string? Notes(string? first, string? second) =>
        first is null ? second : second is null ? first : first + "; " + second;
}
