using PipelineGate.Cli.Tests.Publish;
using PipelineGate.Tests.Publish.AzureDevOps;
using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary>
/// Tokens never reach a log, report, exception, results.json or JUnit: the real gate (check, with its
/// measurement workers) publishes to loopback GitHub and Azure DevOps servers that answer errors quoting
/// the token back, and every stream and every file the run wrote is scanned for the token's value.
/// The CI's own masking is asked for first (::add-mask:: on GitHub, ##vso[task.setsecret] on Azure).
/// </summary>
public sealed class SecretsTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public Task InitializeAsync()
    {
        IsolationTestsSupport.CopyFolder(CliProcess.Sample("digits"), Path.Combine(_dir.Path, "digits"));
        _dir.Write("pipelinegate.yml", """
            version: 1
            measure: { duration: 300ms, min-samples: 10 }
            models:
              - path: digits/digits_mlp.onnx
                name: digits
                budgets:
                  - { metric: file-size, max: 10 KB }
            """);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(null)]
    [InlineData(500)]
    [InlineData(401)]
    public async Task Check_publishing_to_GitHub_never_shows_the_token(int? status)
    {
        await using var server = new FakeGitHub();
        var token = FakeGitHub.WriteToken;
        if (status is { } s)
        {
            // A careless proxy quotes the credentials back in its error body.
            server.Faults.Enqueue(new FakeGitHub.Fault("POST", "/issues/42/comments", s, $$"""{"message":"rejected Authorization: Bearer {{token}} ({{token}})"}""", times: 100));
        }

        var summary = _dir.Write("gh/summary.md", "");
        var env = PublishFixture.Environment(server, token, summaryPath: summary).ToDictionary(static kv => kv.Key, static kv => (string?)kv.Value);
        env["GITHUB_OUTPUT"] = _dir.Write("gh/outputs.txt", "");
        env["PIPELINEGATE_RETRY_DELAYS_MS"] = "0,0,0";

        var run = CliProcess.Run(_dir.Path, env, "check", "--publish", "github", "--comment", "always", "-o", "out");

        Assert.True(run.ExitCode is 1 or 2 or 3, run.StdErr); // the 10 KB budget fails; a refused publish may add its own code
        var lines = run.StdOut.Split('\n');
        Assert.Single(lines, "::add-mask::" + token); // before the publisher's first line
        AssertNowhere(token, string.Join('\n', lines.Where(l => l != "::add-mask::" + token)) + run.StdErr);
        Assert.Contains("PG4201", File.ReadAllText(Path.Combine(_dir.Path, "out", "junit.xml")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Check_publishing_to_Azure_DevOps_never_shows_the_token(bool failing)
    {
        await using var server = await FakeAzureDevOps.StartAsync();
        if (failing)
        {
            server.EchoAuthorization = true;
            server.FailNext(500, count: 20);
        }

        var env = new Dictionary<string, string?>
        {
            ["TF_BUILD"] = "True",
            ["SYSTEM_COLLECTIONURI"] = server.CollectionUri,
            ["SYSTEM_TEAMPROJECT"] = FakeAzureDevOps.Project,
            ["BUILD_REPOSITORY_ID"] = FakeAzureDevOps.Repository,
            ["BUILD_REASON"] = "PullRequest",
            ["SYSTEM_PULLREQUEST_PULLREQUESTID"] = "42",
            ["SYSTEM_PULLREQUEST_ISFORK"] = "False",
            ["SYSTEM_ACCESSTOKEN"] = server.Token,
            ["BUILD_SOURCEVERSION"] = "3f2a1c0d",
            ["PIPELINEGATE_RETRY_DELAYS_MS"] = "0,0,0",
            ["GITHUB_ACTIONS"] = null,
        };

        var run = CliProcess.Run(_dir.Path, env, "check", "--publish", "azure-devops", "--comment", "always", "-o", "out");

        Assert.True(run.ExitCode is 1 or 2 or 3, run.StdErr);
        var lines = run.StdOut.Split('\n');
        Assert.Single(lines, "##vso[task.setsecret]" + server.Token);
        AssertNowhere(server.Token, string.Join('\n', lines.Where(l => l != "##vso[task.setsecret]" + server.Token)) + run.StdErr);
        if (!failing)
        {
            Assert.NotEmpty(server.Threads());
        }
    }

    /// <summary>Not in the streams given, nor in any file under the test folder (results.json, reports, JUnit, summaries, worker files).</summary>
    private void AssertNowhere(string token, string streams)
    {
        Assert.DoesNotContain(token, streams, StringComparison.Ordinal);
        var files = Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories).Where(static f => !f.EndsWith(".onnx", StringComparison.Ordinal) && !f.EndsWith(".npy", StringComparison.Ordinal)).ToArray();
        Assert.Contains(files, static f => f.EndsWith("results.json", StringComparison.Ordinal));
        foreach (var f in files)
        {
            Assert.False(File.ReadAllText(f).Contains(token, StringComparison.Ordinal), $"the token is in {f}");
        }
    }
}
