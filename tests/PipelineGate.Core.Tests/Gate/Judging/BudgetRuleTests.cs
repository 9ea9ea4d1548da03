using PipelineGate.Gate.Judging;
using PipelineGate.Gate.Results;
using Xunit;

namespace PipelineGate.Tests.Gate.Judging;

/// <summary>The one rule: fail on evidence, warn while the interval reaches past the limit, pass when all of it is within.</summary>
public sealed class BudgetRuleTests
{
    [Theory]
    // ceiling 10: interval wholly below, straddling with the estimate on either side, wholly above
    [InlineData(8.0, 7.0, 9.0, CheckOutcome.Pass)]
    [InlineData(9.5, 8.0, 10.5, CheckOutcome.Warn)]
    [InlineData(10.5, 9.5, 11.5, CheckOutcome.Warn)]
    [InlineData(11.0, 10.5, 11.5, CheckOutcome.Fail)]
    // touching the limit is not past it
    [InlineData(9.0, 8.0, 10.0, CheckOutcome.Pass)]
    [InlineData(11.0, 10.0, 12.0, CheckOutcome.Warn)]
    public void A_ceiling_is_judged_by_the_whole_interval(double value, double lower, double upper, CheckOutcome expected)
    {
        Assert.Equal(expected, BudgetRule.Judge(new Estimate(value, lower, upper), 10, isCeiling: true));
    }

    [Theory]
    [InlineData(0.97, 0.96, 0.98, CheckOutcome.Pass)]
    [InlineData(0.955, 0.94, 0.97, CheckOutcome.Warn)]
    [InlineData(0.945, 0.93, 0.96, CheckOutcome.Warn)]
    [InlineData(0.93, 0.92, 0.94, CheckOutcome.Fail)]
    public void A_floor_mirrors_it(double value, double lower, double upper, CheckOutcome expected)
    {
        Assert.Equal(expected, BudgetRule.Judge(new Estimate(value, lower, upper), 0.95, isCeiling: false));
    }

    [Fact]
    public void An_exact_value_passes_or_fails_but_never_warns()
    {
        Assert.Equal(CheckOutcome.Pass, BudgetRule.Judge(Estimate.Exact(10), 10, isCeiling: true));
        Assert.Equal(CheckOutcome.Fail, BudgetRule.Judge(Estimate.Exact(10.001), 10, isCeiling: true));
        Assert.Equal(CheckOutcome.Fail, BudgetRule.Judge(Estimate.Exact(0.94), 0.95, isCeiling: false));
    }

    [Fact]
    public void A_test_decides_the_failure_where_one_is_given_and_the_interval_still_decides_warn_or_pass()
    {
        var straddling = new Estimate(1.12, 1.09, 1.15);
        Assert.Equal(CheckOutcome.Fail, BudgetRule.Judge(straddling, 1.10, isCeiling: true, broken: true));
        Assert.Equal(CheckOutcome.Warn, BudgetRule.Judge(straddling, 1.10, isCeiling: true, broken: false));
        Assert.Equal(CheckOutcome.Pass, BudgetRule.Judge(new Estimate(1.01, 1.005, 1.015), 1.10, isCeiling: true, broken: false));
        // The whole interval past the limit is not a failure when the test withholds the evidence (e.g. a stored baseline's margin).
        Assert.Equal(CheckOutcome.Warn, BudgetRule.Judge(new Estimate(1.14, 1.13, 1.15), 1.10, isCeiling: true, broken: false));
    }

    [Fact]
    public void An_interval_that_misses_its_own_estimate_is_widened_to_hold_it()
    {
        Assert.Equal(CheckOutcome.Warn, BudgetRule.Judge(new Estimate(10.2, 9.0, 9.9), 10, isCeiling: true));
        Assert.Equal(CheckOutcome.Warn, BudgetRule.Judge(new Estimate(10.5, 11.5, 10.6), 11, isCeiling: true)); // ends given in the wrong order
    }

    [Theory]
    [InlineData(100, 104, CheckOutcome.Warn)] // 100 × 1.05 = 105 reaches past 104
    [InlineData(100, 106, CheckOutcome.Pass)]
    [InlineData(100, 96, CheckOutcome.Warn)]  // 100 / 1.05 = 95.2 is still below 96: undecided
    [InlineData(100, 95, CheckOutcome.Fail)]
    public void An_estimate_without_an_interval_gets_the_band(double value, double limit, CheckOutcome expected)
    {
        Assert.Equal(expected, BudgetRule.Judge(Estimate.WithBand(value, 0.05), limit, isCeiling: true));
    }
}
