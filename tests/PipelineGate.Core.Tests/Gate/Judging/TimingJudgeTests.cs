using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Bench;
using Xunit;
using static PipelineGate.Tests.Gate.Judging.JudgeFixture;

namespace PipelineGate.Tests.Gate.Judging;

/// <summary>
/// Timing budgets judged on synthetic sample sets: a significant change inside the budget passes, an interval
/// straddling the limit warns, evidence beyond it fails; stored baselines need a margin; an estimate
/// without an interval gets the ±threshold band.
/// </summary>
public sealed class TimingJudgeTests
{
    private static readonly BudgetConfig P50TenPercent = Regression("latency.p50", 0.10);

    [Fact]
    public void A_significant_change_well_inside_the_budget_passes_and_keeps_the_information()
    {
        // +1% with a tight interval: the sign test is sure of it, and it is nowhere near +10%.
        var c = Judge(P50TenPercent, Variant(Paired(1.01, 0.05, 200, seed: 7)));

        Assert.Equal(CheckOutcome.Pass, c.Outcome);
        Assert.Null(c.Code);
        Assert.True(c.Significant);
        Assert.True(c.PValue < 0.001);
        Assert.True(c.DeltaUpper < 0.10);
        Assert.StartsWith("significant +0.9% (95% CI +0.5% … +1.2%), within ≤ +10% vs base", c.Note, StringComparison.Ordinal);
        Assert.Contains("p < 0.001", c.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("p = 0", c.Message, StringComparison.Ordinal);
        Assert.Contains("a significant change, but its whole interval is within the budget", c.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_change_passes_as_not_significant()
    {
        var c = Judge(P50TenPercent, Variant(Paired(1.0, 0.05, 200, seed: 11)));

        Assert.Equal(CheckOutcome.Pass, c.Outcome);
        Assert.False(c.Significant);
        Assert.Null(c.Note);
    }

    [Fact]
    public void An_interval_straddling_the_limit_warns_whichever_side_the_estimate_is_on()
    {
        var below = Judge(P50TenPercent, Variant(Paired(1.11, 0.2, 20, seed: 7)));
        Assert.True(below.Delta < 0.10 && below.DeltaUpper > 0.10, below.Message); // the premise: estimate inside, interval past
        Assert.Equal(CheckOutcome.Warn, below.Outcome);
        Assert.Equal(PgCode.LatencyRegression, below.Code);
        Assert.Contains("undecided: the interval reaches past the budget", below.Message, StringComparison.Ordinal);

        var above = Judge(P50TenPercent, Variant(Paired(1.11, 0.2, 20, seed: 7, interleaved: false)));
        Assert.True(above.Delta > 0.10 && above.DeltaLower < 0.10, above.Message);
        Assert.Equal(CheckOutcome.Warn, above.Outcome);
    }

    [Fact]
    public void A_slowdown_beyond_the_budget_with_evidence_fails()
    {
        var c = Judge(P50TenPercent, Variant(Paired(1.25, 0.05, 100, seed: 7)));

        Assert.Equal(CheckOutcome.Fail, c.Outcome);
        Assert.Equal(PgCode.LatencyRegression, c.Code);
        Assert.True(c.DeltaLower > 0.10);
        Assert.Contains("slower beyond the budget", c.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Against_stored_results_a_failure_needs_the_interval_past_the_budget_by_the_threshold_too()
    {
        // +15% with a tight interval: measured interleaved it fails; against stored results (another session,
        // drift not cancelled) it must clear (1 + 10%) × (1 + 5%) = +15.5%, so it is only a warning.
        var interleaved = Judge(P50TenPercent, Variant(Paired(1.15, 0.02, 300, seed: 7)));
        var stored = Judge(P50TenPercent, Variant(Paired(1.15, 0.02, 300, seed: 7, interleaved: false)));
        var clearly = Judge(P50TenPercent, Variant(Paired(1.30, 0.02, 300, seed: 7, interleaved: false)));

        Assert.Equal(CheckOutcome.Fail, interleaved.Outcome);
        Assert.True(stored.DeltaLower > 0.10 && stored.DeltaLower < 0.155, stored.Message);
        Assert.Equal(CheckOutcome.Warn, stored.Outcome);
        Assert.Contains("not measured interleaved, so failing needs the interval past +15.5%", stored.Message, StringComparison.Ordinal);
        Assert.Equal("compared with stored results, not measured interleaved", stored.Note);
        Assert.Equal(CheckOutcome.Fail, clearly.Outcome);
    }

    [Fact]
    public void A_p90_regression_follows_the_same_rule_on_its_own_interval()
    {
        var budget = Regression("latency.p90", 0.10);

        Assert.Equal(CheckOutcome.Pass, Judge(budget, Variant(Paired(1.01, 0.05, 200, seed: 7))).Outcome);
        Assert.Equal(CheckOutcome.Warn, Judge(budget, Variant(Paired(1.11, 0.2, 20, seed: 7))).Outcome);
        Assert.Equal(CheckOutcome.Fail, Judge(budget, Variant(Paired(1.25, 0.05, 100, seed: 7))).Outcome);
    }

    [Fact]
    public void An_absolute_limit_fails_only_when_the_whole_interval_is_past_it_and_warns_while_it_reaches_it()
    {
        var target = Measured(Samples(1.0, 0.1, 2000, seed: 3));
        var ci = target.Latency!.Summary.Median.Interval!.Value;
        var median = target.Latency.Summary.Median.Value;
        CheckOutcome At(double limit) => Judge(Max("latency.p50", limit, UnitDimension.Time, "limit"), Variant(target)).Outcome;

        Assert.Equal(CheckOutcome.Pass, At(ci.Upper * 1.001));
        Assert.Equal(CheckOutcome.Warn, At((median + ci.Upper) / 2));   // the estimate is inside the limit, the interval is not
        Assert.Equal(CheckOutcome.Warn, At((ci.Lower + median) / 2));   // the estimate is past it, the interval is not all past
        Assert.Equal(CheckOutcome.Fail, At(ci.Lower * 0.999));
    }

    [Fact]
    public void A_timing_without_an_interval_is_judged_with_the_threshold_band()
    {
        var target = new TargetResult { Target = "cpu", Status = "measured", ColdStart = new ColdStartMeasurement(100, 5, 3), Throughput = new ThroughputMeasurement(2, 200, 2000, 10) };
        CheckOutcome Create(double max) => Judge(Max("session-create", max, UnitDimension.Time, $"{max} ms"), Variant(target)).Outcome;
        CheckOutcome Rate(double min) => Judge(Min("throughput", min, UnitDimension.Rate, $"{min}/s"), Variant(target)).Outcome;

        Assert.Equal(CheckOutcome.Pass, Create(106));
        Assert.Equal(CheckOutcome.Warn, Create(104));  // within reach of the 5% band
        Assert.Equal(CheckOutcome.Warn, Create(96));
        Assert.Equal(CheckOutcome.Fail, Create(94));   // 100 / 1.05 = 95.2 is still past 94
        Assert.Equal(CheckOutcome.Pass, Rate(180));
        Assert.Equal(CheckOutcome.Warn, Rate(205));
        Assert.Equal(CheckOutcome.Fail, Rate(220));    // 200 × 1.05 = 210 is still under 220

        var message = Judge(Max("session-create", 104, UnitDimension.Time, "104 ms"), Variant(target)).Message;
        Assert.Equal("session-create on cpu is 100.0 ms (no interval; with the ±5% band 95.238 ms … 105.0 ms), undecided: the interval reaches past the limit; budget ≤ 104 ms.", message);
    }

    [Fact]
    public void A_cold_start_regression_can_fail_now_but_only_beyond_the_band()
    {
        static TargetResult Pair(double baseline, double candidate) => new()
        {
            Target = "cpu", Status = "measured", ColdStart = new ColdStartMeasurement(candidate, 5, 3), BaselineColdStart = new ColdStartMeasurement(baseline, 5, 3),
            Comparison = Paired(1.0, 0.05, 10, seed: 1).Comparison, // measured interleaved
        };

        var budget = Regression("session-create", 0.10);
        Assert.Equal(CheckOutcome.Pass, Judge(budget, Variant(Pair(100, 104))).Outcome);
        Assert.Equal(CheckOutcome.Warn, Judge(budget, Variant(Pair(100, 112))).Outcome);
        var failed = Judge(budget, Variant(Pair(100, 120)));
        Assert.Equal(CheckOutcome.Fail, failed.Outcome);
        Assert.Equal(PgCode.ColdStartRegression, failed.Code);
        Assert.Null(failed.DeltaLower); // a band is not a confidence interval: none is reported
    }

    [Fact]
    public void A_tail_percentile_regression_is_judged_on_the_quotient_of_both_intervals()
    {
        var budget = Regression("latency.p99", 0.10);
        var same = Judge(budget, Variant(WithoutComparison(Samples(1.0, 0.1, 4000, 1), Samples(1.0, 0.1, 4000, 2))));
        var slower = Judge(budget, Variant(WithoutComparison(Samples(1.0, 0.1, 4000, 1), Samples(1.5, 0.1, 4000, 2))));

        Assert.Equal(CheckOutcome.Pass, same.Outcome);
        Assert.NotNull(same.DeltaLower);
        Assert.Equal(CheckOutcome.Fail, slower.Outcome);
        Assert.Contains("from both 95% CIs", slower.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_percentile_without_enough_samples_is_never_gated_but_warns_when_the_band_reaches_the_limit()
    {
        var target = Measured(Samples(1.0, 0.05, 100, seed: 5)); // p99 needs 368 samples for an interval
        var p99 = target.Latency!.Summary.P99.Value;

        var far = Judge(Max("latency.p99", p99 * 2, UnitDimension.Time, "2×"), Variant(target));
        var near = Judge(Max("latency.p99", p99 * 1.02, UnitDimension.Time, "1.02×"), Variant(target));
        var past = Judge(Max("latency.p99", p99 / 2, UnitDimension.Time, "0.5×"), Variant(target));

        Assert.Equal(CheckOutcome.Pass, far.Outcome);
        Assert.Equal(CheckOutcome.Warn, near.Outcome);
        Assert.Equal(PgCode.PercentileUnsupported, near.Code);
        Assert.Equal(CheckOutcome.Warn, past.Outcome);
    }

    private static TargetResult WithoutComparison(double[] baseline, double[] candidate) => new()
    {
        Target = "cpu", Status = "measured", BaselineLatency = Latency(baseline) with { SamplesMs = null }, Latency = Latency(candidate) with { SamplesMs = null },
        Comparison = Paired(1.0, 0.05, 10, seed: 1).Comparison,
    };
}
