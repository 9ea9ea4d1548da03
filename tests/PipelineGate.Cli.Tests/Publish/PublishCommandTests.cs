using System.Diagnostics;
using PipelineGate.Publish;
using Xunit;

namespace PipelineGate.Cli.Tests.Publish;

/// <summary>
/// The real CLI, as the workflow_run recipe runs it, against the loopback GitHub: exit codes, and
/// the token in no output (stdout, stderr, every file written) except the one add-mask line.
/// </summary>
public sealed class PublishCommandTests : IAsyncLifetime
{
    private readonly FakeGitHub _server = new();
    private readonly TempDir _dir = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Theory]
    [InlineData(FakeGitHub.WriteToken, null, 0)]
    [InlineData(FakeGitHub.ReadOnlyToken, null, 0)]          // fork behaviour: warnings, the job goes on
    [InlineData(FakeGitHub.WriteToken, "500", 3)]            // outage after retries (retries are short here: see the env)
    [InlineData(FakeGitHub.WriteToken, "404", 2)]
    [InlineData("ghs_someOtherToken0123456789abcdefXYZ", null, 2)] // 401
    public void Posts_stored_results_and_never_leaks_the_token(string token, string? fault, int exitCode)
    {
        if (fault == "500")
        {
            _server.Faults.Enqueue(new FakeGitHub.Fault("POST", "/issues/42/comments", 500, """{"message":"boom"}""", times: 100));
        }
        else if (fault == "404")
        {
            _server.Faults.Enqueue(new FakeGitHub.Fault("GET", "/issues/42/comments", 404, """{"message":"Not Found"}""", times: 100));
        }

        var results = _dir.Write("in/results.json", ResultsFile.Serialize(PublishFixture.Result()));
        var summary = _dir.Write("summary.md", "");
        var outputs = _dir.Write("outputs.txt", "");
        var env = PublishFixture.Environment(_server, token, summaryPath: summary);
        env["GITHUB_OUTPUT"] = outputs;
        env["PIPELINEGATE_RETRY_DELAYS_MS"] = "0,0,0";

        var run = Run(env, "publish", "--results", results, "--publish", "github", "--pr", "42");

        Assert.True(exitCode == run.ExitCode, $"exit {run.ExitCode}\n{run.StdOut}\n{run.StdErr}");
        Assert.StartsWith("::add-mask::" + token, run.StdOut, StringComparison.Ordinal);
        var everything = string.Join("\n", run.StdOut.Split('\n').Skip(1)) + run.StdErr
            + string.Concat(Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain(token, everything, StringComparison.Ordinal);
        Assert.Contains("result=fail\nfailed=true\n", File.ReadAllText(outputs), StringComparison.Ordinal);
        Assert.Contains("### ❌ PipelineGate: 1 budget failed", File.ReadAllText(summary), StringComparison.Ordinal);
        if (exitCode == 0 && token == FakeGitHub.WriteToken)
        {
            Assert.Single(_server.CommentsBy(FakeGitHub.BotLogin));
            Assert.Empty(run.StdErr);
        }
        else
        {
            Assert.Matches(@"(error|warning) PG500[1-4]: ", run.StdErr);
        }
    }

    [Fact]
    public void A_results_file_of_another_schema_is_a_coded_usage_error()
    {
        var results = _dir.Write("old.json", ResultsFile.Serialize(PublishFixture.Result()).Replace("pipelinegate/results/v1", "pipelinegate/results/v2", StringComparison.Ordinal));

        var run = Run(PublishFixture.Environment(_server), "publish", "--results", results, "--publish", "github");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error PG5102:", run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_joins_shards_into_one_report_and_exit_code()
    {
        var whole = PublishFixture.Result(failed: 1, passed: 2);
        var a = _dir.Write("s1/results.json", ResultsFile.Serialize(whole with { Checks = [whole.Checks[0]], Shard = "1/2" }));
        var b = _dir.Write("s2/results.json", ResultsFile.Serialize(whole with { Models = [], Checks = [.. whole.Checks.Skip(1)], Shard = "2/2" }));
        var other = _dir.Write("s3/results.json", ResultsFile.Serialize(whole with { Profile = "release" }));
        var outDir = Path.Combine(_dir.Path, "merged");

        var run = Run(new Dictionary<string, string>(), "merge", a, b, "--out", outDir);
        var never = Run(new Dictionary<string, string>(), "merge", a, b, "--out", outDir, "--fail-on", "never");
        var conflict = Run(new Dictionary<string, string>(), "merge", a, other, "--out", outDir);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(0, never.ExitCode);
        var merged = ResultsFile.Read(Path.Combine(outDir, "results.json"));
        Assert.Equal(whole.Summary, merged.Summary);
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")));
        Assert.Equal(2, conflict.ExitCode);
        Assert.Contains("error PG5103:", conflict.StdErr, StringComparison.Ordinal);
    }

    private static CliProcess.Result Run(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipelinegate.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var name in new[] { "GITHUB_ACTIONS", "GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "TF_BUILD", "GITHUB_WORKSPACE" })
        {
            psi.Environment.Remove(name); // the test's own CI must not leak in
        }

        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }

        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return new CliProcess.Result(p.ExitCode, stdout.Result, stderr);
    }
}
