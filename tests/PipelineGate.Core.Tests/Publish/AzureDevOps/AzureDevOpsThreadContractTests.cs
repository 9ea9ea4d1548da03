using PipelineGate.Diagnostics;
using PipelineGate.Publish;
using Xunit;

namespace PipelineGate.Tests.Publish.AzureDevOps;

/// <summary>
/// The Azure DevOps publisher against a real loopback server that speaks the threads contract: one
/// thread per gate, created once and updated after, its status following the verdict, concurrent runs
/// leaving one active thread, people's threads untouched, and the token in no output.
/// </summary>
public sealed class AzureDevOpsThreadContractTests : IAsyncLifetime
{
    private const string Key = "models/pipelinegate.yml#pr";
    private FakeAzureDevOps _server = null!;

    public async Task InitializeAsync() => _server = await FakeAzureDevOps.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task First_run_creates_an_active_thread_with_the_key_and_the_next_run_updates_it_and_marks_it_fixed()
    {
        var first = AzureRun.PullRequestBuild(_server);
        var created = await first.PublishAsync(AzureRun.Failing);

        var thread = Assert.Single(_server.Threads());
        Assert.True(created.CommentCreated);
        Assert.Equal((long)thread["id"]!, created.CommentId);
        Assert.Equal("active", (string)thread["status"]!);
        Assert.Equal(Key, FakeAzureDevOps.KeyOf(thread));
        Assert.StartsWith(new GateKey(Key).Marker + "\n", (string)thread["comments"]![0]!["content"]!, StringComparison.Ordinal);
        Assert.Contains("1 budget failed", (string)thread["comments"]![0]!["content"]!, StringComparison.Ordinal);

        var second = AzureRun.PullRequestBuild(_server);
        var updated = await second.PublishAsync(AzureRun.Passing);

        var after = Assert.Single(_server.Threads());
        Assert.False(updated.CommentCreated);
        Assert.Equal(created.CommentId, updated.CommentId);
        Assert.Equal("fixed", (string)after["status"]!);
        Assert.Contains("passed", (string)after["comments"]![0]!["content"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("budget failed", (string)after["comments"]![0]!["content"]!, StringComparison.Ordinal);
        Assert.Equal(1, _server.Requests.Count(static r => r.Method == "POST"));
        Assert.Contains(_server.Requests, static r => r.Method == "PATCH" && r.Path.EndsWith("/comments/1001", StringComparison.Ordinal));
        AssertNoToken(first, second);
    }

    [Fact]
    public async Task On_failure_creates_nothing_for_a_pass_but_always_updates_an_existing_thread()
    {
        var pass = AzureRun.PullRequestBuild(_server);
        var report = await pass.PublishAsync(AzureRun.Passing);

        Assert.Empty(_server.Threads());
        Assert.Null(report.CommentId);
        Assert.DoesNotContain(_server.Requests, static r => r.Method != "GET");

        var id = _server.AddThread("old red report", Key, "active");
        await AzureRun.PullRequestBuild(_server).PublishAsync(AzureRun.Passing);

        var thread = Assert.Single(_server.Threads());
        Assert.Equal(id, (long)thread["id"]!);
        Assert.Equal("fixed", (string)thread["status"]!);
        Assert.NotEqual("old red report", (string)thread["comments"]![0]!["content"]!);
    }

    [Fact]
    public async Task Always_creates_a_fixed_thread_for_a_pass_and_never_makes_no_call()
    {
        await AzureRun.PullRequestBuild(_server).PublishAsync(AzureRun.Failing, comment: CommentMode.Never);
        Assert.Empty(_server.Requests);

        await AzureRun.PullRequestBuild(_server).PublishAsync(AzureRun.Passing, comment: CommentMode.Always);
        Assert.Equal("fixed", (string)Assert.Single(_server.Threads())["status"]!);
    }

    [Fact]
    public async Task Two_concurrent_runs_leave_one_active_thread_and_retire_the_newer()
    {
        _server.HoldListsUntil(2); // both runs list before either creates: each creates its own thread
        var a = AzureRun.PullRequestBuild(_server);
        var b = AzureRun.PullRequestBuild(_server);

        var reports = await Task.WhenAll(a.PublishAsync(AzureRun.Failing), b.PublishAsync(AzureRun.Failing));

        var threads = _server.Threads();
        Assert.Equal(2, threads.Count);
        var live = Assert.Single(_server.LiveThreadsWithKey(Key));
        Assert.Equal("active", (string)live["status"]!);
        var retired = Assert.Single(threads, t => t != live && (long)t["id"]! != (long)live["id"]!);
        Assert.Equal("closed", (string)retired["status"]!);
        Assert.True((bool)retired["comments"]![0]!["isDeleted"]!);
        Assert.True((long)live["id"]! < (long)retired["id"]!); // the oldest wins
        Assert.All(reports, r => Assert.Equal((long)live["id"]!, r.CommentId));
        Assert.Equal(1, reports.Count(static r => r.CommentCreated));
        Assert.Equal(1, reports.Sum(static r => r.DuplicatesDeleted));
        // Both runs see the duplicate and may both try to retire it; the second DELETE meets a 404, which is fine.
        Assert.InRange(_server.Requests.Count(static r => r.Method == "DELETE"), 1, 2);
        Assert.All(reports, static r => Assert.Empty(r.Diagnostics));

        // A later run finds the one live thread and leaves the retired one alone.
        await AzureRun.PullRequestBuild(_server).PublishAsync(AzureRun.Passing);
        Assert.Equal("fixed", (string)Assert.Single(_server.LiveThreadsWithKey(Key))["status"]!);
        Assert.Equal("closed", (string)_server.Threads().Single(t => (long)t["id"]! == (long)retired["id"]!)["status"]!);
        AssertNoToken(a, b);
    }

    [Fact]
    public async Task A_persons_threads_are_never_touched_even_when_they_quote_the_marker()
    {
        var person = _server.AddPersonThread(new GateKey(Key).Marker + "\nI think this regression is fine.");

        await AzureRun.PullRequestBuild(_server).PublishAsync(AzureRun.Failing);
        await AzureRun.PullRequestBuild(_server).PublishAsync(AzureRun.Failing);

        var id = person.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain(_server.Requests, r => r.Method != "GET" && r.Path.Contains("/threads/" + id, StringComparison.Ordinal));
        var theirs = _server.Threads().Single(t => (long)t["id"]! == person);
        Assert.Equal("active", (string)theirs["status"]!);
        Assert.EndsWith("I think this regression is fine.", (string)theirs["comments"]![0]!["content"]!, StringComparison.Ordinal);
        Assert.Single(_server.LiveThreadsWithKey(Key));
    }

    [Fact]
    public async Task Two_gates_get_two_threads()
    {
        await AzureRun.PullRequestBuild(_server).PublishAsync(AzureRun.Failing, key: "a/pipelinegate.yml");
        await AzureRun.PullRequestBuild(_server).PublishAsync(AzureRun.Failing, key: "b/pipelinegate.yml");
        await AzureRun.PullRequestBuild(_server).PublishAsync(AzureRun.Failing, key: "a/pipelinegate.yml");

        Assert.Equal(2, _server.Threads().Count);
        Assert.Single(_server.LiveThreadsWithKey("a/pipelinegate.yml"));
        Assert.Single(_server.LiveThreadsWithKey("b/pipelinegate.yml"));
    }

    [Fact]
    public async Task A_rejected_token_is_an_error_naming_the_permission_and_the_token_is_not_printed()
    {
        var run = AzureRun.PullRequestBuild(_server);
        run.Environment["SYSTEM_ACCESSTOKEN"] = "wrong-token-abcdef";

        var report = await run.PublishAsync(AzureRun.Failing);

        var d = Assert.Single(report.Diagnostics);
        Assert.Equal(PgCode.PublishUnauthorized, d.Code);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("(401)", d.Message, StringComparison.Ordinal);
        Assert.Contains("'Contribute to pull requests'", d.Message, StringComparison.Ordinal);
        Assert.Contains("env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)", d.Hint, StringComparison.Ordinal);
        Assert.Contains("##vso[task.logissue type=error;code=PG5002]", run.Log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token-abcdef", WithoutMask(run.Log.ToString()) + d.ToString(), StringComparison.Ordinal);
        Assert.Empty(run.Sleeps); // a refusal is not retried
    }

    [Fact]
    public async Task Forbidden_is_a_warning_naming_the_permission()
    {
        _server.FailNext(403);
        var run = AzureRun.PullRequestBuild(_server);

        var report = await run.PublishAsync(AzureRun.Failing);

        var d = Assert.Single(report.Diagnostics);
        Assert.Equal((PgCode.PublishUnauthorized, DiagnosticSeverity.Warning), (d.Code, d.Severity));
        Assert.Contains("403: Injected failure 403.", d.Message, StringComparison.Ordinal);
        Assert.Contains("the build identity needs 'Contribute to pull requests' on the repository", d.Message, StringComparison.Ordinal);
        Assert.False(report.HasErrors);
    }

    [Fact]
    public async Task Not_found_names_the_repository_and_the_pull_request()
    {
        var run = AzureRun.PullRequestBuild(_server);
        run.Environment["SYSTEM_PULLREQUEST_PULLREQUESTID"] = "4242";

        var report = await run.PublishAsync(AzureRun.Failing);

        var d = Assert.Single(report.Diagnostics);
        Assert.Equal(PgCode.PublishTargetNotFound, d.Code);
        Assert.Contains($"pull request #4242 of repository {FakeAzureDevOps.Repository} in {_server.CollectionUri}My Project", d.Message, StringComparison.Ordinal);
        Assert.Contains("TF401180", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_errors_are_retried_with_the_bounded_delays_then_reported_and_the_token_redacted()
    {
        _server.EchoAuthorization = true;
        _server.FailNext(500, count: 4);
        var run = AzureRun.PullRequestBuild(_server);

        var report = await run.PublishAsync(AzureRun.Failing);

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(20)], run.Sleeps);
        var d = Assert.Single(report.Diagnostics);
        Assert.Equal(PgCode.PublishFailed, d.Code);
        Assert.Contains("after 4 attempts: 500 InternalServerError: Injected failure 500 (Bearer ***).", d.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Threads());
        AssertNoToken(run);
        Assert.DoesNotContain(_server.Token, d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rate_limits_and_outages_that_pass_are_retried_and_the_thread_is_written()
    {
        _server.FailNext(429);
        _server.FailNext(503);
        var run = AzureRun.PullRequestBuild(_server);

        var report = await run.PublishAsync(AzureRun.Failing);

        Assert.Empty(report.Diagnostics);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8)], run.Sleeps);
        Assert.Single(_server.LiveThreadsWithKey(Key));
    }

    [Fact]
    public async Task Rate_limit_that_persists_is_reported_as_rate_limited()
    {
        _server.FailNext(429, count: 4);
        var run = AzureRun.PullRequestBuild(_server);

        var report = await run.PublishAsync(AzureRun.Failing);

        Assert.Equal(PgCode.PublishRateLimited, Assert.Single(report.Diagnostics).Code);
        Assert.Equal(3, run.Sleeps.Count);
    }

    [Fact]
    public async Task Every_request_carries_api_version_7_1_and_a_bearer_token()
    {
        await AzureRun.PullRequestBuild(_server).PublishAsync(AzureRun.Failing);

        // The server answers 400 without api-version=7.1 and 401 without the Bearer token: the thread exists only if every call had both.
        Assert.Single(_server.LiveThreadsWithKey(Key));
        Assert.Equal(["GET", "POST", "GET"], _server.Requests.Select(static r => r.Method));
    }

    private void AssertNoToken(params AzureRun[] runs)
    {
        foreach (var run in runs)
        {
            var log = run.Log.ToString();
            Assert.StartsWith("##vso[task.setsecret]" + _server.Token, log, StringComparison.Ordinal); // the agent masks it from here on
            Assert.DoesNotContain(_server.Token, WithoutMask(log), StringComparison.Ordinal);
        }
    }

    /// <summary>The log without its one task.setsecret line, the only place the token may appear.</summary>
    private static string WithoutMask(string log) =>
        string.Join('\n', log.Split('\n').Where(static l => !l.StartsWith("##vso[task.setsecret]", StringComparison.Ordinal)));
}
