namespace PipelineGate.Gate.Results;

/// <summary>Counts of check outcomes, and the overall outcome (the worst of them).</summary>
public sealed record GateSummary(int Passed, int Warned, int Failed, int Skipped)
{
    public CheckOutcome Outcome => Failed > 0 ? CheckOutcome.Fail : Warned > 0 ? CheckOutcome.Warn : CheckOutcome.Pass;

    public int Total => Passed + Warned + Failed + Skipped;

    public static GateSummary Of(IEnumerable<CheckResult> checks)
    {
        int p = 0, w = 0, f = 0, s = 0;
        foreach (var c in checks)
        {
            switch (c.Outcome)
            {
                case CheckOutcome.Pass: p++; break;
                case CheckOutcome.Warn: w++; break;
                case CheckOutcome.Fail: f++; break;
                default: s++; break;
            }
        }

        return new GateSummary(p, w, f, s);
    }
}
