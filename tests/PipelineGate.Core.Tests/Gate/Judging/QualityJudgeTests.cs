using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Accuracy;
using Xunit;
using static PipelineGate.Tests.Gate.Judging.JudgeFixture;

namespace PipelineGate.Tests.Gate.Judging;

/// <summary>Accuracy budgets under the same rule: the evaluation set is a sample, and its interval decides.</summary>
public sealed class QualityJudgeTests
{
    [Fact]
    public void An_accuracy_floor_is_judged_by_the_bootstrap_interval_of_the_evaluation_set()
    {
        // 350 of 359 right (97.49%), as the digits sample: its interval over samples is about ±1.6 pp.
        var correct = Enumerable.Range(0, 359).Select(static i => i % 40 != 0).ToArray();
        var ci = ProportionInterval.Of(correct);
        var value = correct.Count(static c => c) / 359.0;
        var accuracy = new AccuracyResult("top1", value, 359) { Lower = ci.Lower, Upper = ci.Upper };
        CheckOutcome At(double min) => Judge(Min("accuracy", min, UnitDimension.Ratio, "min"), Variant(accuracy: accuracy)).Outcome;

        Assert.Equal(350, correct.Count(static c => c));
        Assert.True(ci.Lower < value && value < ci.Upper);
        Assert.Equal(CheckOutcome.Pass, At(ci.Lower - 0.001));
        Assert.Equal(CheckOutcome.Warn, At(value - 0.001)); // the estimate clears the floor, the interval does not
        Assert.Equal(CheckOutcome.Warn, At(value + 0.001)); // below the floor by its estimate only: undecided, not failed
        Assert.Equal(CheckOutcome.Fail, At(ci.Upper + 0.001));
        var message = Judge(Min("accuracy", 0.95, UnitDimension.Ratio, "95%"), Variant(accuracy: accuracy)).Message;
        Assert.StartsWith("top1 of original is 0.9749 (95% CI 0.95", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_metric_without_an_interval_is_judged_exactly()
    {
        var f1 = new AccuracyResult("f1", 0.949, 359);

        var c = Judge(Min("accuracy", 0.95, UnitDimension.Ratio, "95%"), Variant(accuracy: f1), metric: "f1");

        Assert.Equal(CheckOutcome.Fail, c.Outcome);
        Assert.Equal(PgCode.AccuracyUnderBudget, c.Code);
        Assert.Equal(CheckOutcome.Pass, Judge(Min("accuracy", 0.94, UnitDimension.Ratio, "94%"), Variant(accuracy: f1), metric: "f1").Outcome);
    }

    [Theory]
    [InlineData(-0.002, -0.006, 0.0, CheckOutcome.Pass)]   // −0.2 pp, interval down to −0.6 pp: within a 1 pp allowance
    [InlineData(-0.008, -0.015, -0.002, CheckOutcome.Warn)] // −0.8 pp, but the interval reaches −1.5 pp
    [InlineData(-0.012, -0.018, -0.005, CheckOutcome.Warn)] // past the allowance by the estimate only
    [InlineData(-0.025, -0.035, -0.015, CheckOutcome.Fail)] // the whole interval is past −1 pp
    public void A_drop_from_the_original_is_judged_by_its_paired_interval(double difference, double lower, double upper, CheckOutcome expected)
    {
        var original = Variant(accuracy: new AccuracyResult("top1", 0.97, 2000));
        var int8 = Variant(accuracy: new AccuracyResult("top1", 0.97 + difference, 2000, new PairedChange(difference, lower, upper, 0.01, "McNemar")), name: "int8");

        var c = Judge(Drop(1), int8, original);

        Assert.Equal(expected, c.Outcome);
        Assert.Equal(expected == CheckOutcome.Pass ? null : PgCode.AccuracyDropFromOriginal, c.Code);
        Assert.True(c.Significant);
    }

    [Fact]
    public void A_regression_from_a_baseline_measured_in_this_run_uses_the_paired_interval_and_an_unchanged_model_passes()
    {
        var budget = Regression("accuracy", 0) with { MaxRegression = new Quantity(0.005, UnitDimension.PercentagePoints, "0.5 pp") };
        var unchanged = new AccuracyResult("top1", 0.97, 359) { ChangeFromBaseline = new PairedChange(0, 0, 0, 1, "McNemar") };
        var straddling = new AccuracyResult("top1", 0.967, 359) { ChangeFromBaseline = new PairedChange(-0.003, -0.008, 0, 0.5, "McNemar") };
        var baseline = new AccuracyResult("top1", 0.97, 359);

        var same = Judge(budget, Variant(accuracy: unchanged, baselineAccuracy: baseline));
        var undecided = Judge(budget, Variant(accuracy: straddling, baselineAccuracy: baseline));

        Assert.Equal(CheckOutcome.Pass, same.Outcome);
        Assert.False(same.Significant);
        Assert.Equal(CheckOutcome.Warn, undecided.Outcome);
        Assert.Equal(PgCode.AccuracyRegression, undecided.Code);
        Assert.Contains("McNemar p = 0.50", undecided.Message, StringComparison.Ordinal);
    }
}
