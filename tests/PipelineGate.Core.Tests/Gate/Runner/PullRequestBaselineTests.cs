using PipelineGate.Gate.Baselines;
using PipelineGate.Publish;
using Xunit;

namespace PipelineGate.Tests.Gate.Runner;

public sealed class PullRequestBaselineTests
{
    // What a GitHub-hosted runner sets on a pull_request event (GITHUB_BASE_REF and GITHUB_HEAD_REF exist only there).
    private static readonly Dictionary<string, string> GitHubPullRequest = new()
    {
        ["CI"] = "true",
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_EVENT_NAME"] = "pull_request",
        ["GITHUB_REF"] = "refs/pull/42/merge",
        ["GITHUB_BASE_REF"] = "release/2.x",
        ["GITHUB_HEAD_REF"] = "feature/int8",
        ["GITHUB_REPOSITORY"] = "acme/app",
    };

    // On a push GitHub defines the variables but leaves them empty.
    private static readonly Dictionary<string, string> GitHubPush = new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_EVENT_NAME"] = "push",
        ["GITHUB_REF"] = "refs/heads/main",
        ["GITHUB_BASE_REF"] = "",
        ["GITHUB_HEAD_REF"] = "",
    };

    // An Azure Repos PR build: the branches are full refs.
    private static readonly Dictionary<string, string> AzurePullRequest = new()
    {
        ["TF_BUILD"] = "True",
        ["BUILD_REASON"] = "PullRequest",
        ["BUILD_SOURCEBRANCH"] = "refs/pull/7/merge",
        ["SYSTEM_PULLREQUEST_PULLREQUESTID"] = "7",
        ["SYSTEM_PULLREQUEST_SOURCEBRANCH"] = "refs/heads/feature/int8",
        ["SYSTEM_PULLREQUEST_TARGETBRANCH"] = "refs/heads/develop",
    };

    [Fact]
    public void GitHub_pull_request_compares_with_its_base_branch_on_origin()
    {
        Assert.Equal("origin/release/2.x", PullRequestBaseline.Default("pr", baselineGiven: false, CiEnvironment.From(GitHubPullRequest)));
    }

    [Fact]
    public void Azure_pull_request_compares_with_its_target_branch_without_refs_heads()
    {
        Assert.Equal("origin/develop", PullRequestBaseline.Default("pr", baselineGiven: false, CiEnvironment.From(AzurePullRequest)));

        // A GitHub repository built by Azure Pipelines gets the bare branch name.
        var gitHubRepoOnAzure = new Dictionary<string, string>(AzurePullRequest) { ["SYSTEM_PULLREQUEST_TARGETBRANCH"] = "main" };
        Assert.Equal("origin/main", PullRequestBaseline.Default("pr", baselineGiven: false, CiEnvironment.From(gitHubRepoOnAzure)));
    }

    [Fact]
    public void Outside_a_pull_request_build_the_pr_profile_falls_back_to_origin_main()
    {
        Assert.Equal(PullRequestBaseline.Fallback, PullRequestBaseline.Default("pr", baselineGiven: false, CiEnvironment.From(GitHubPush)));
        Assert.Equal("origin/main", PullRequestBaseline.Default("pr", baselineGiven: false, CiEnvironment.From(new Dictionary<string, string>())));
    }

    [Fact]
    public void Other_profiles_and_runs_with_a_baseline_have_no_default()
    {
        Assert.Null(PullRequestBaseline.Default(null, baselineGiven: false, CiEnvironment.From(GitHubPullRequest)));
        Assert.Null(PullRequestBaseline.Default("release", baselineGiven: false, CiEnvironment.From(AzurePullRequest)));
        Assert.Null(PullRequestBaseline.Default("pr", baselineGiven: true, CiEnvironment.From(GitHubPullRequest)));
    }
}
