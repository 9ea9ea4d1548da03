using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Publish;
using PipelineGate.Tests.Report;
using Xunit;

namespace PipelineGate.Tests.Publish;

public sealed class WorkflowCommandsTests
{
    [Fact]
    public void Message_escapes_percent_cr_lf_and_properties_also_colon_and_comma()
    {
        Assert.Equal("100%25 sure%0D%0Anext: a, b", WorkflowCommands.EscapeData("100% sure\r\nnext: a, b"));
        Assert.Equal("PG4102 m%3A cpu%2C p90 %25%0A", WorkflowCommands.EscapeProperty("PG4102 m: cpu, p90 %\n"));
    }

    [Fact]
    public void Annotation_command_puts_file_line_col_title_in_properties()
    {
        var a = new GateAnnotation(true, "models/pipelinegate.yml", 14, 7, "PG4102 digits: cpu latency.p90 (int8)", "slower by 12%,\nbeyond +5%");

        Assert.Equal("::error file=models/pipelinegate.yml,line=14,col=7,title=PG4102 digits%3A cpu latency.p90 (int8)::slower by 12%25,%0Abeyond +5%25",
            a.ToWorkflowCommand());
        Assert.Equal("::warning title=t::m", new GateAnnotation(false, null, null, null, "t", "m").ToWorkflowCommand());
    }

    [Fact]
    public void Annotations_come_from_failed_and_warned_checks_failures_first_with_paths_below_the_root()
    {
        var annotations = GateAnnotation.From(GateResultFixture.Result with
        {
            Checks = [.. GateResultFixture.Result.Checks.Select(static c => c with { File = "/work/repo/models/pipelinegate.yml" })],
        }, "/work/repo");

        Assert.Equal(2, annotations.Count);
        Assert.True(annotations[0].IsError);
        Assert.False(annotations[1].IsError);
        Assert.Equal("models/pipelinegate.yml", annotations[0].Path);
        Assert.Equal(24, annotations[0].Line);
        Assert.Equal("PG4102 classifier: cpu latency.p90 (int8)", annotations[0].Title);
        Assert.EndsWith("Budget: ≤ +5% vs base.", annotations[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void At_most_ten_errors_and_ten_warnings_are_printed_and_the_rest_counted_once()
    {
        var many = Enumerable.Range(0, 14).Select(static i => new GateAnnotation(true, "p.yml", i + 1, null, "e", "error " + i))
            .Concat(Enumerable.Range(0, 12).Select(static i => new GateAnnotation(false, "p.yml", i + 1, null, "w", "warning " + i)));
        using var log = new StringWriter();

        var printed = AnnotationPrinter.Print(many, log, "pipelinegate-report");

        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(20, printed);
        Assert.Equal(10, lines.Count(static l => l.StartsWith("::error ", StringComparison.Ordinal)));
        Assert.Equal(10, lines.Count(static l => l.StartsWith("::warning ", StringComparison.Ordinal)));
        var notice = Assert.Single(lines, static l => l.StartsWith("::notice ", StringComparison.Ordinal));
        Assert.Contains("4 more failed and 2 more warned budgets are not shown", notice, StringComparison.Ordinal);
        Assert.Contains("pipelinegate-report artifact", notice, StringComparison.Ordinal);
    }

    [Fact]
    public void No_count_line_when_everything_fits()
    {
        using var log = new StringWriter();

        AnnotationPrinter.Print([new GateAnnotation(true, "p.yml", 1, null, "e", "m")], log);

        Assert.Equal("::error file=p.yml,line=1,title=e::m\n", log.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Add_mask_carries_the_value()
    {
        Assert.Equal("::add-mask::ghs_abc%25", WorkflowCommands.AddMask("ghs_abc%"));
    }

    [Theory]
    [InlineData(1, 0, FailOn.Fail, false, true)]
    [InlineData(0, 1, FailOn.Fail, false, false)]
    [InlineData(0, 1, FailOn.Warn, false, true)]
    [InlineData(0, 0, FailOn.Warn, false, false)]
    [InlineData(1, 1, FailOn.Never, false, false)]
    [InlineData(1, 0, FailOn.Fail, true, false)]
    [InlineData(1, 0, FailOn.Warn, true, false)]
    public void Exit_policy_follows_fail_on_and_warn_only(int failed, int warned, FailOn failOn, bool warnOnly, bool fails)
    {
        Assert.Equal(fails, ExitPolicy.Fails(new GateSummary(3, warned, failed, 0), failOn, warnOnly));
    }

    [Fact]
    public void Ci_environment_resolves_auto_from_github_actions_or_tf_build()
    {
        var github = CiEnvironment.From(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" });
        var azure = CiEnvironment.From(new Dictionary<string, string> { ["TF_BUILD"] = "True" });
        var local = CiEnvironment.From(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "" });

        Assert.Equal(PublishMode.GitHub, github.Resolve(PublishMode.Auto));
        Assert.Equal(PublishMode.AzureDevOps, azure.Resolve(PublishMode.Auto));
        Assert.Equal(PublishMode.None, local.Resolve(PublishMode.Auto));
        Assert.Equal(PublishMode.GitHub, local.Resolve(PublishMode.GitHub));
        Assert.Null(local.Get("GITHUB_ACTIONS")); // empty counts as unset
    }

    [Fact]
    public void Publishers_pick_by_mode_and_azure_devops_without_its_variables_says_what_is_missing()
    {
        var env = CiEnvironment.From(new Dictionary<string, string> { ["TF_BUILD"] = "True" });
        var publisher = Publishers.Create(PublishMode.Auto, env, TextWriter.Null);
        var report = publisher.PublishAsync(new PublishRequest { Result = GateResultFixture.Result, Key = new GateKey("k") }).GetAwaiter().GetResult();

        Assert.Equal("azure-devops", publisher.Name);
        Assert.Equal(PgCode.PublishContextMissing, Assert.Single(report.Diagnostics).Code);
        Assert.False(report.HasErrors);
        Assert.Equal("none", Publishers.Create(PublishMode.None, env, TextWriter.Null).Name);
    }

    [Fact]
    public void Job_summary_appends_and_falls_back_to_the_short_text_near_one_mebibyte()
    {
        using var folder = new TempFolder();
        var path = folder.File("summary.md");
        File.WriteAllText(path, "earlier step output\n");

        Assert.True(JobSummary.Append(path, "full report", "short"));
        Assert.Equal("earlier step output\nfull report\n", File.ReadAllText(path));

        File.WriteAllText(path, new string('x', (int)JobSummary.MaxBytes - 100));
        Assert.True(JobSummary.Append(path, new string('y', 200), "short"));
        Assert.EndsWith("xshort\n", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.False(JobSummary.Append(path, new string('y', 200), new string('z', 200)));
        Assert.False(JobSummary.Append(null, "a", "b"));
    }
}
