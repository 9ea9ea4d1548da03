using PipelineGate.Gate.Results;

namespace PipelineGate.Gate.Judging;

/// <summary>
/// The one rule by which every non-deterministic budget is judged (docs/config.md, "How budgets are judged"):
/// <list type="bullet">
/// <item><b>fail</b> when the evidence says the limit is broken: by default the whole interval lies past the
/// limit; where a test decides it (a latency regression's A/B verdict, a stored baseline's margin) the caller
/// passes that decision as <c>broken</c>;</item>
/// <item><b>warn</b> when it does not fail but the interval reaches past the limit, whichever side of the
/// limit the point estimate is on: the data cannot tell whether the budget holds;</item>
/// <item><b>pass</b> when the whole interval is within the limit, even if a test calls the change
/// significant: a real but small change is information, not a warning.</item>
/// </list>
/// An exact estimate (no interval) can only pass or fail.
/// </summary>
internal static class BudgetRule
{
    /// <param name="estimate">The value and its interval, in the limit's unit.</param>
    /// <param name="limit">The limit the value must stay on the right side of.</param>
    /// <param name="isCeiling">True when values above the limit break it (max, max-regression, max-drop); false for a floor (min).</param>
    /// <param name="broken">The evidence that the limit is broken, when a test decides it; null: the whole interval past the limit.</param>
    public static CheckOutcome Judge(Estimate estimate, double limit, bool isCeiling, bool? broken = null)
    {
        // A bootstrap interval can miss its own point estimate by a hair; the interval judged always holds it.
        var lower = Math.Min(Math.Min(estimate.Lower, estimate.Upper), estimate.Value);
        var upper = Math.Max(Math.Max(estimate.Lower, estimate.Upper), estimate.Value);
        if (broken ?? (isCeiling ? lower > limit : upper < limit))
        {
            return CheckOutcome.Fail;
        }

        return (isCeiling ? upper > limit : lower < limit) ? CheckOutcome.Warn : CheckOutcome.Pass;
    }

    /// <summary>The outcome in the words every message uses.</summary>
    public static string Words(CheckOutcome outcome, bool isCeiling) => outcome switch
    {
        CheckOutcome.Fail => isCeiling ? "over budget" : "under budget",
        CheckOutcome.Warn => "undecided: the interval reaches past the limit",
        _ => "within budget",
    };
}
