using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PipelineGate.Publish;
using PipelineGate.Publish.AzureDevOps;
using PipelineGate.Tests.Report;
using Xunit;

namespace PipelineGate.Tests.Publish.AzureDevOps;

public sealed class LoggingCommandsTests
{
    [Fact]
    public void Escapes_percent_semicolon_bracket_cr_lf_the_way_the_agent_unescapes()
    {
        Assert.Equal("a%3Bb%5Dc%AZP25d%0Ae", LoggingCommands.Escape("a;b]c%d\ne"));
        Assert.Equal("##vso[task.logissue type=error;sourcepath=m%3B%5D.yml;linenumber=3;columnnumber=5;code=PG4201]x%5D%0Ay",
            LoggingCommands.LogIssue(true, "x]\ny", "m;].yml", 3, 5, "PG4201"));
    }

    [Fact]
    public void Secret_variables_carry_issecret_true()
    {
        Assert.Equal("##vso[task.setvariable variable=pg.id;issecret=true]v%3B1", LoggingCommands.SetVariable("pg.id", "v;1", isSecret: true));
        Assert.Equal("##vso[task.setvariable variable=o;isOutput=true;issecret=false]1", LoggingCommands.SetVariable("o", "1", isSecret: false, isOutput: true));
    }

    [Fact]
    public void At_most_ten_errors_and_ten_warnings_then_one_count_line()
    {
        var many = Enumerable.Range(0, 13).Select(static i => new GateAnnotation(true, "p.yml", i + 1, 3, "PG4201 m: size", "e" + i))
            .Concat(Enumerable.Range(0, 11).Select(static i => new GateAnnotation(false, "p.yml", i + 1, 3, "w", "w" + i)));
        using var log = new StringWriter();

        var printed = LogIssuePrinter.Print(many, log, "pipelinegate-report");

        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20, printed);
        Assert.Equal(10, lines.Count(static l => l.StartsWith("##vso[task.logissue type=error;", StringComparison.Ordinal)));
        Assert.Equal(10, lines.Count(static l => l.StartsWith("##vso[task.logissue type=warning;", StringComparison.Ordinal)));
        Assert.Equal("PipelineGate: 3 more failed and 1 more warned budgets are not shown as issues (Azure Pipelines keeps 10 of each per step); the pipelinegate-report artifact and the Extensions tab list every one.",
            lines[^1].TrimEnd('\r'));
        Assert.Contains("code=PG4201]PG4201 m: size: e0", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("code=", lines.First(static l => l.Contains("type=warning", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    public void Logging_lines_match_the_golden_file_in_every_culture(string culture)
    {
        using var _ = new CultureScope(culture);
        var result = GateResultFixture.Result with
        {
            Checks = [.. GateResultFixture.Result.Checks.Select(static c => c with
            {
                File = "/agent/_work/1/s/models/pipeline;gate].yml",
                Model = c.Outcome == PipelineGate.Gate.Results.CheckOutcome.Fail ? "classifier [50%; v2]" : c.Model,
                Message = c.Message + "\nsecond line\r",
            })],
        };
        var sb = new StringBuilder();
        foreach (var a in GateAnnotation.From(result, "/agent/_work/1/s"))
        {
            sb.Append(LogIssuePrinter.Command(a)).Append('\n');
        }

        sb.Append(LoggingCommands.UploadSummary("/agent/_work/1/s/pipelinegate-out/report.md")).Append('\n');
        sb.Append(LoggingCommands.PublishJUnit("/agent/_work/1/s/pipelinegate-out/junit.xml", "PipelineGate models/pipelinegate.yml#pr")).Append('\n');

        Golden.Match("azure-logging.txt", sb.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    public async Task Thread_creation_matches_the_golden_file_in_every_culture(string culture)
    {
        using var _ = new CultureScope(culture);
        await using var server = await FakeAzureDevOps.StartAsync();

        await AzureRun.PullRequestBuild(server).PublishAsync(AzureRun.Failing);

        var post = Assert.Single(server.Requests, static r => r.Method == "POST");
        Assert.Equal($"/{FakeAzureDevOps.Organization}/{FakeAzureDevOps.Project}/_apis/git/repositories/{FakeAzureDevOps.Repository}/pullRequests/42/threads", post.Path);
        var body = JsonNode.Parse(post.Body!)!;
        Golden.Match("azure-thread-create.json", body.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
    }
}
