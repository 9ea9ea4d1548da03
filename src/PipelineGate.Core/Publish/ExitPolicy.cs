using PipelineGate.Gate.Results;

namespace PipelineGate.Publish;

/// <summary>
/// Whether a verdict fails the job. One place decides it, so the exit code, the check run's conclusion
/// and the Action's <c>failed</c> output can never disagree.
/// </summary>
public static class ExitPolicy
{
    public static bool Fails(GateSummary summary, FailOn failOn, bool warnOnly = false)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (warnOnly)
        {
            return false;
        }

        return failOn switch
        {
            FailOn.Fail => summary.Failed > 0,
            FailOn.Warn => summary.Failed > 0 || summary.Warned > 0,
            _ => false,
        };
    }

    /// <summary>The policy a run was made with: --warn-only wins, as it always has.</summary>
    public static FailOn Effective(FailOn failOn, bool warnOnly) => warnOnly ? FailOn.Never : failOn;
}
