using PipelineGate.Gate.Results;

namespace PipelineGate.Publish.GitHub;

/// <summary>
/// The Action's outputs (result, failed, report-dir), appended to $GITHUB_OUTPUT by the CLI itself so
/// the composite action needs no JSON parsing of its own: one engine, thin doors.
/// </summary>
public static class GitHubOutputs
{
    public static bool Write(CiEnvironment environment, GateSummary summary, bool fails, string reportDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(summary);
        if (environment.Get("GITHUB_OUTPUT") is not { } path)
        {
            return false;
        }

        var result = summary.Outcome switch { CheckOutcome.Fail => "fail", CheckOutcome.Warn => "warn", _ => "pass" };
        var lines = $"result={result}\nfailed={(fails ? "true" : "false")}\nreport-dir={Path.GetFullPath(reportDirectory)}\n";
        File.AppendAllText(path, lines);
        return true;
    }
}
