using PipelineGate.Diagnostics;
using PipelineGate.Publish;
using PipelineGate.Publish.AzureDevOps;
using PipelineGate.Tests.Report;
using Xunit;

namespace PipelineGate.Tests.Publish.AzureDevOps;

/// <summary>What the Azure DevOps publisher prints and skips when the job is not a PR build or has no token.</summary>
public sealed class AzureDevOpsPublisherTests : IAsyncLifetime
{
    private FakeAzureDevOps _server = null!;

    public async Task InitializeAsync() => _server = await FakeAzureDevOps.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Auto_on_an_agent_picks_azure_devops()
    {
        var env = CiEnvironment.From(new Dictionary<string, string> { ["TF_BUILD"] = "True" });

        Assert.IsType<AzureDevOpsPublisher>(Publishers.Create(PublishMode.Auto, env, TextWriter.Null));
        Assert.Equal("azure-devops", Publishers.Create(PublishMode.AzureDevOps, CiEnvironment.From(new Dictionary<string, string>()), TextWriter.Null).Name);
    }

    [Fact]
    public async Task A_ci_build_prints_issues_summary_and_tests_and_skips_the_thread_with_a_notice()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("report.md"), "# report");
        File.WriteAllText(folder.File("junit.xml"), "<testsuites/>");
        var run = AzureRun.PullRequestBuild(_server);
        run.Environment["BUILD_REASON"] = "IndividualCI";
        run.Environment.Remove("SYSTEM_PULLREQUEST_PULLREQUESTID");

        var report = await run.PublishAsync(AzureRun.Failing, outDir: folder.Path);

        var d = Assert.Single(report.Diagnostics);
        Assert.Equal((PgCode.PublishNotInPullRequest, DiagnosticSeverity.Info), (d.Code, d.Severity));
        Assert.Contains("BUILD_REASON=IndividualCI", d.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
        var lines = run.Log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Count(static l => l.StartsWith("##vso[task.logissue ", StringComparison.Ordinal)));
        Assert.Contains("##vso[task.uploadsummary]" + folder.File("report.md"), lines);
        Assert.Contains($"##vso[results.publish type=JUnit;mergeResults=false;runTitle=PipelineGate models/pipelinegate.yml#pr;resultFiles={folder.File("junit.xml")}]", lines);
        Assert.Contains(lines, static l => l.StartsWith("PG5003: Not a pull-request build", StringComparison.Ordinal));
        Assert.True(report.SummaryWritten);
        Assert.Equal(2, report.AnnotationsPrinted);
        Assert.DoesNotContain("task.complete", run.Log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pr_build_without_the_token_mapped_says_how_to_map_it()
    {
        var run = AzureRun.PullRequestBuild(_server);
        run.Environment.Remove("SYSTEM_ACCESSTOKEN");

        var report = await run.PublishAsync(AzureRun.Failing);

        var d = Assert.Single(report.Diagnostics);
        Assert.Equal((PgCode.PublishTokenMissing, DiagnosticSeverity.Warning), (d.Code, d.Severity));
        Assert.Contains("env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)", d.Hint, StringComparison.Ordinal);
        Assert.Contains("##vso[task.logissue type=warning;code=PG5008]No token in SYSTEM_ACCESSTOKEN", run.Log.ToString(), StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
        Assert.False(report.HasErrors);
    }

    [Fact]
    public async Task Outside_azure_pipelines_the_thread_is_skipped_but_the_issues_are_printed()
    {
        var run = new AzureRun();

        var report = await Publishers.Create(PublishMode.AzureDevOps, CiEnvironment.From(run.Environment), run.Log)
            .PublishAsync(new PublishRequest { Result = AzureRun.Failing, Key = new GateKey("k") });

        Assert.Equal(PgCode.PublishContextMissing, Assert.Single(report.Diagnostics).Code);
        Assert.Equal(2, report.AnnotationsPrinted);
    }

    [Fact]
    public void Context_reads_the_predefined_variables()
    {
        var ctx = AzureDevOpsContext.Read(CiEnvironment.From(new Dictionary<string, string>
        {
            ["SYSTEM_COLLECTIONURI"] = "https://dev.azure.com/acme",
            ["SYSTEM_TEAMPROJECT"] = "Vision",
            ["BUILD_REPOSITORY_ID"] = "r1",
            ["BUILD_REASON"] = "PullRequest",
            ["SYSTEM_PULLREQUEST_PULLREQUESTID"] = "17",
            ["SYSTEM_PULLREQUEST_ISFORK"] = "True",
            ["BUILD_SOURCEVERSION"] = "abc",
        }))!;

        Assert.Equal("https://dev.azure.com/acme/", ctx.CollectionUri.ToString());
        Assert.Equal((17L, true, "abc", null), (ctx.PullRequest!.Value, ctx.IsFork, ctx.SourceVersion, ctx.Token));
        Assert.Null(AzureDevOpsContext.PullRequestId("$(System.PullRequest.PullRequestId)")); // an unexpanded macro is not a number
        Assert.Null(AzureDevOpsContext.Read(CiEnvironment.From(new Dictionary<string, string> { ["TF_BUILD"] = "True" })));
    }
}
