using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Publish;
using PipelineGate.Publish.GitHub;
using Xunit;

namespace PipelineGate.Cli.Tests.Publish;

/// <summary>
/// The GitHub publisher against a loopback GitHub: sticky comment life cycle, the race between two
/// runs, check runs and annotations, read-only tokens, and every documented error outcome.
/// </summary>
public sealed class GitHubContractTests : IAsyncLifetime
{
    private readonly FakeGitHub _server = new();
    private readonly List<TimeSpan> _slept = [];
    private readonly StringWriter _log = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task First_run_creates_after_paging_past_35_comments_by_others_and_second_run_updates_it()
    {
        _server.MaxPageSize = 10;
        for (var i = 0; i < 35; i++)
        {
            _server.AddComment(i % 2 == 0 ? "alice" : "bob", i == 7 ? "Looks good. <!-- pipelinegate:models/pipelinegate.yml#pr --> quoted" : "comment " + i);
        }

        var first = await Publish(PublishFixture.Result());
        var second = await Publish(PublishFixture.Result(failed: 2));

        var ours = Assert.Single(_server.CommentsBy(FakeGitHub.BotLogin));
        Assert.True(first.CommentCreated);
        Assert.False(second.CommentCreated);
        Assert.Equal(first.CommentId, second.CommentId);
        Assert.StartsWith("<!-- pipelinegate:models/pipelinegate.yml#pr -->\n", (string)ours["body"]!, StringComparison.Ordinal);
        Assert.Contains("2 budgets failed", (string)ours["body"]!, StringComparison.Ordinal);
        Assert.Equal(36, _server.Comments.Count); // nobody else's comment was touched
        Assert.True(_server.Count("GET", "page=4") >= 2, string.Join("\n", _server.Requests)); // every page was read, on both runs
        Assert.Empty(first.Diagnostics);
    }

    [Fact]
    public async Task Two_concurrent_runs_leave_one_comment_the_oldest()
    {
        _server.ListingRendezvous = new CountdownEvent(2); // both runs list before either creates

        var runs = await Task.WhenAll(Publish(PublishFixture.Result()), Publish(PublishFixture.Result()));

        var ours = Assert.Single(_server.CommentsBy(FakeGitHub.BotLogin));
        Assert.Equal(2, _server.Count("POST", "/issues/42/comments"));
        Assert.All(runs, r => Assert.Equal((long)ours["id"]!, r.CommentId));
        Assert.Equal(1, runs.Count(static r => r.CommentCreated));
    }

    [Fact]
    public async Task On_failure_does_not_create_for_a_pass_but_always_updates_an_existing_comment()
    {
        var pass = PublishFixture.Result(failed: 0);

        var none = await Publish(pass);
        Assert.Null(none.CommentId);
        Assert.Empty(_server.CommentsBy(FakeGitHub.BotLogin));

        await Publish(PublishFixture.Result());
        var updated = await Publish(pass);

        var ours = Assert.Single(_server.CommentsBy(FakeGitHub.BotLogin));
        Assert.Equal((long)ours["id"]!, updated.CommentId);
        Assert.Contains("### ✅ PipelineGate: 0 budgets failed", (string)ours["body"]!, StringComparison.Ordinal);

        var never = await Publish(PublishFixture.Result(), CommentMode.Never);
        Assert.Null(never.CommentId);
        Assert.Contains("✅", (string)Assert.Single(_server.CommentsBy(FakeGitHub.BotLogin))["body"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_run_is_named_after_the_gate_and_carries_120_annotations_in_batches_of_50()
    {
        var report = await Publish(PublishFixture.Result(failed: 70, warned: 50));

        var run = Assert.Single(_server.CheckRuns);
        Assert.Equal("PipelineGate (models/pipelinegate.yml#pr)", (string)run["name"]!);
        Assert.Equal("failure", (string)run["conclusion"]!);
        Assert.Equal("9c0ffee000000000000000000000000000000000", (string)run["head_sha"]!);
        Assert.Equal([50, 50, 20], _server.AnnotationBatches);
        var annotation = run["output"]!["annotations"]![0]!;
        Assert.Equal("models/pipelinegate.yml", (string)annotation["path"]!);
        Assert.Equal(10, (int)annotation["start_line"]!);
        Assert.Equal("failure", (string)annotation["annotation_level"]!);
        Assert.Equal(0, report.AnnotationsPrinted); // the check run carries them; no duplicates in the log
        Assert.DoesNotContain("::error file=", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_checks_write_annotations_go_to_the_log_capped_and_counted_once()
    {
        _server.ChecksWritable = false;

        var report = await Publish(PublishFixture.Result(failed: 14, warned: 3));

        var log = _log.ToString();
        Assert.Equal(10, CountLines(log, "::error file=models/pipelinegate.yml,line="));
        Assert.Equal(3, CountLines(log, "::warning file=models/pipelinegate.yml,line="));
        Assert.Equal(1, CountLines(log, "::notice title=PipelineGate::PipelineGate: 4 more failed and 0 more warned"));
        var d = Assert.Single(report.Diagnostics);
        Assert.Equal((PgCode.PublishUnauthorized, DiagnosticSeverity.Info), (d.Code, d.Severity));
        Assert.Contains("lacks the 'checks: write' permission", d.Message, StringComparison.Ordinal);
        Assert.NotNull(report.CommentId); // the comment still went out
    }

    [Fact]
    public async Task A_read_only_token_skips_comment_and_check_with_warnings_naming_the_permissions_and_no_error()
    {
        var report = await Publish(PublishFixture.Result(), token: FakeGitHub.ReadOnlyToken);

        Assert.False(report.HasErrors);
        Assert.Null(report.CommentId);
        Assert.Empty(_server.CommentsBy(FakeGitHub.BotLogin));
        Assert.Contains(report.Diagnostics, static d => d.Code == PgCode.PublishUnauthorized && d.Message.Contains("'pull-requests: write'", StringComparison.Ordinal)
            && d.Message.Contains("GITHUB_TOKEN environment variable", StringComparison.Ordinal));
        Assert.Contains("::error file=models/pipelinegate.yml,line=10", _log.ToString(), StringComparison.Ordinal);
        Assert.Empty(_slept); // a refusal is not retried
    }

    [Fact]
    public async Task A_fork_pull_request_publishes_nothing_to_the_api_and_says_so()
    {
        using var folder = new TempDir();
        var eventPath = folder.Write("event.json", """
            {"pull_request":{"number":42,"head":{"sha":"abc","repo":{"full_name":"mallory/app"}},"base":{"repo":{"full_name":"acme/app"}}}}
            """);
        var summary = folder.Path + "/summary.md";

        var report = await Publish(PublishFixture.Result(), eventPath: eventPath, summaryPath: summary);

        Assert.Equal(PgCode.PublishReadOnlyToken, Assert.Single(report.Diagnostics).Code);
        Assert.DoesNotContain(_server.Requests, static r => !r.StartsWith("GET", StringComparison.Ordinal));
        Assert.Contains("### ❌ PipelineGate: 1 budget failed", File.ReadAllText(summary), StringComparison.Ordinal);
        Assert.Contains("::error file=models/pipelinegate.yml", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_credentials_are_an_error_naming_the_token_source()
    {
        var report = await Publish(PublishFixture.Result(), token: "ghs_not_a_valid_token_at_all_000000");

        var d = report.Diagnostics.First(static d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(PgCode.PublishUnauthorized, d.Code);
        Assert.Contains("rejected the token from the GITHUB_TOKEN environment variable", d.Message, StringComparison.Ordinal);
        Assert.Contains("(401: Bad credentials)", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_found_names_the_pull_request_and_the_permission()
    {
        _server.Faults.Enqueue(new FakeGitHub.Fault("GET", "/issues/42/comments", 404, """{"message":"Not Found"}"""));

        var report = await Publish(PublishFixture.Result());

        var d = Assert.Single(report.Diagnostics);
        Assert.Equal(PgCode.PublishTargetNotFound, d.Code);
        Assert.Contains("acme/app #42", d.Message, StringComparison.Ordinal);
        Assert.Contains("'pull-requests: write'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_refused_as_too_long_is_replaced_by_the_verdict_alone()
    {
        _server.Faults.Enqueue(new FakeGitHub.Fault("POST", "/issues/42/comments", 422,
            """{"message":"Validation Failed","errors":[{"resource":"IssueComment","code":"custom","field":"body","message":"body is too long (maximum is 65536 characters)"}]}"""));

        var report = await Publish(PublishFixture.Result());

        Assert.Equal(PgCode.PublishCommentTooLong, Assert.Single(report.Diagnostics).Code);
        var body = (string)Assert.Single(_server.CommentsBy(FakeGitHub.BotLogin))["body"]!;
        Assert.Contains("did not fit in a comment", body, StringComparison.Ordinal);
        Assert.StartsWith("<!-- pipelinegate:models/pipelinegate.yml#pr -->", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_500_is_retried_and_then_succeeds()
    {
        _server.Faults.Enqueue(new FakeGitHub.Fault("POST", "/issues/42/comments", 500, """{"message":"Server Error"}""", times: 2));

        var report = await Publish(PublishFixture.Result());

        Assert.Empty(report.Diagnostics);
        Assert.Single(_server.CommentsBy(FakeGitHub.BotLogin));
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8)], _slept);
    }

    [Fact]
    public async Task A_lasting_500_is_reported_after_the_bounded_retries()
    {
        _server.Faults.Enqueue(new FakeGitHub.Fault("POST", "/check-runs", 502, """{"message":"Bad Gateway"}""", times: 100));

        var report = await Publish(PublishFixture.Result());

        var d = Assert.Single(report.Diagnostics);
        Assert.Equal((PgCode.PublishFailed, DiagnosticSeverity.Error), (d.Code, d.Severity));
        Assert.Contains("failed after 4 attempts: 502", d.Message, StringComparison.Ordinal);
        Assert.Equal(4, _server.Count("POST", "/check-runs"));
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(20)], _slept);
        Assert.NotNull(report.CommentId); // the comment did not depend on the check run
        Assert.Contains("::error file=models/pipelinegate.yml", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_honours_retry_after_within_the_bound_and_lasting_429_is_rate_limited()
    {
        var retryAfter = new Dictionary<string, string> { ["Retry-After"] = "30" };
        _server.Faults.Enqueue(new FakeGitHub.Fault("GET", "/issues/42/comments", 429, """{"message":"Too Many Requests"}""", times: 1, retryAfter));
        _server.Faults.Enqueue(new FakeGitHub.Fault("POST", "/issues/42/comments", 429, """{"message":"Too Many Requests"}""", times: 100, new Dictionary<string, string> { ["Retry-After"] = "3600" }));

        var report = await Publish(PublishFixture.Result());

        Assert.Equal(TimeSpan.FromSeconds(30), _slept[0]);
        Assert.Equal([TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)], _slept.Skip(1)); // cut to MaxDelay
        var d = Assert.Single(report.Diagnostics);
        Assert.Equal(PgCode.PublishRateLimited, d.Code);
        Assert.Contains("after 4 attempts (429", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secondary_rate_limit_is_retried()
    {
        _server.Faults.Enqueue(new FakeGitHub.Fault("POST", "/issues/42/comments", 403,
            """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}""", times: 1));

        var report = await Publish(PublishFixture.Result());

        Assert.Empty(report.Diagnostics);
        Assert.Single(_server.CommentsBy(FakeGitHub.BotLogin));
        Assert.Single(_slept);
    }

    [Fact]
    public async Task A_push_gets_a_check_run_and_a_notice_instead_of_a_comment()
    {
        var env = PublishFixture.Environment(_server);
        env["GITHUB_REF"] = "refs/heads/main";
        env["GITHUB_EVENT_NAME"] = "push";

        var report = await new GitHubPublisher(CiEnvironment.From(env), _log, PublishFixture.Retry(_slept)).PublishAsync(PublishFixture.Request(PublishFixture.Result()));

        Assert.Equal(PgCode.PublishNotInPullRequest, Assert.Single(report.Diagnostics).Code);
        Assert.Single(_server.CheckRuns);
    }

    [Fact]
    public async Task The_token_is_masked_first_and_appears_nowhere_else()
    {
        _server.Faults.Enqueue(new FakeGitHub.Fault("POST", "/check-runs", 500, """{"message":"Server Error"}""", times: 100));
        _server.Faults.Enqueue(new FakeGitHub.Fault("GET", "/issues/42/comments", 404, """{"message":"Not Found"}"""));

        var report = await Publish(PublishFixture.Result());

        var lines = _log.ToString().Split('\n');
        Assert.Equal("::add-mask::" + FakeGitHub.WriteToken, lines[0].TrimEnd('\r'));
        Assert.DoesNotContain(FakeGitHub.WriteToken, string.Join("\n", lines.Skip(1)), StringComparison.Ordinal);
        Assert.All(report.Diagnostics, static d => Assert.DoesNotContain(FakeGitHub.WriteToken, d.ToString(), StringComparison.Ordinal));
    }

    private static int CountLines(string log, string prefix) =>
        log.Split('\n').Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    private Task<PublishReport> Publish(GateResult result, CommentMode comment = CommentMode.OnFailure, string token = FakeGitHub.WriteToken, string? eventPath = null, string? summaryPath = null)
    {
        var env = CiEnvironment.From(PublishFixture.Environment(_server, token, eventPath, summaryPath));
        return new GitHubPublisher(env, _log, PublishFixture.Retry(_slept)).PublishAsync(PublishFixture.Request(result, comment));
    }
}
