using PipelineGate.Publish;

namespace PipelineGate.Gate.Baselines;

/// <summary>
/// The git ref a pull-request run compares with when no baseline is given: the PR's target branch as
/// the CI system names it, on the remote the checkout fetched from (origin). GitHub sets GITHUB_BASE_REF
/// ("main") on pull_request events only; Azure Pipelines sets SYSTEM_PULLREQUEST_TARGETBRANCH
/// ("refs/heads/main") on PR builds. Outside a PR build the default branch is assumed to be origin/main.
/// </summary>
public static class PullRequestBaseline
{
    /// <summary>The profile that means "a pull request build".</summary>
    public const string Profile = "pr";

    public const string Fallback = "origin/main";

    private const string Remote = "origin/";
    private const string BranchPrefix = "refs/heads/";

    /// <summary>
    /// The baseline ref for <paramref name="profile"/> when neither a ref nor stored results were given,
    /// or null when the run has no default baseline (any profile but pr, or a baseline already chosen).
    /// </summary>
    public static string? Default(string? profile, bool baselineGiven, CiEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (profile != Profile || baselineGiven)
        {
            return null;
        }

        if (environment.Get("GITHUB_BASE_REF") is { } github)
        {
            return Remote + github;
        }

        if (environment.Get("SYSTEM_PULLREQUEST_TARGETBRANCH") is { } azure)
        {
            return Remote + (azure.StartsWith(BranchPrefix, StringComparison.Ordinal) ? azure[BranchPrefix.Length..] : azure);
        }

        return Fallback;
    }
}
