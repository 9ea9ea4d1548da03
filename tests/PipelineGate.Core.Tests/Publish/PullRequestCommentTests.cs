using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Publish;
using PipelineGate.Tests.Report;
using Xunit;

namespace PipelineGate.Tests.Publish;

public sealed class PullRequestCommentTests
{
    private static readonly GateKey Key = new("models/pipelinegate.yml#pr");

    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    public void Matches_the_golden_file_in_every_culture(string culture)
    {
        using var _ = new CultureScope(culture);
        if (culture == "de-DE")
        {
            Assert.Equal("1,5", 1.5.ToString(CultureInfo.CurrentCulture)); // the culture really is in effect
        }

        var body = PullRequestComment.Build(GateResultFixture.Result, Key, GateResultFixture.Options);

        Golden.Match("pr-comment.md", body);
        Assert.DoesNotMatch(@"\d,\d{1,2}\s?(ms|%|pp)", body); // no decimal comma anywhere a number is shown
    }

    [Fact]
    public void First_line_is_the_gate_marker_and_the_first_visible_line_is_the_verdict()
    {
        var lines = PullRequestComment.Build(GateResultFixture.Result, Key, GateResultFixture.Options).Split('\n');

        Assert.Equal("<!-- pipelinegate:models/pipelinegate.yml#pr -->", lines[0]);
        Assert.Equal("<!-- pipelinegate:report v1 -->", lines[1]);
        Assert.StartsWith("### ❌ PipelineGate: 1 budget failed, 1 warning, 8 passed", lines[2], StringComparison.Ordinal);
        Assert.Contains("❌ PG4102", lines.First(static l => l.StartsWith("| cpu", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Is_recognised_by_its_own_key_only()
    {
        var body = PullRequestComment.Build(GateResultFixture.Result, Key, GateResultFixture.Options);

        Assert.True(PullRequestComment.IsFor(body, Key));
        Assert.False(PullRequestComment.IsFor(body, new GateKey("models/pipelinegate.yml")));
        Assert.False(PullRequestComment.IsFor(body, new GateKey("models/pipelinegate.yml#p")));
        Assert.False(PullRequestComment.IsFor("quoting it: " + Key.Marker, Key));
    }

    [Fact]
    public void A_huge_run_fits_the_limit_keeps_failures_and_summary_and_says_what_was_cut()
    {
        var result = Huge(failures: 40, passes: 3000);

        var body = PullRequestComment.Build(result, Key, GateResultFixture.Options);

        Assert.InRange(body.Length, 30_000, PullRequestComment.CommentLimit);
        Assert.StartsWith(Key.Marker + "\n", body, StringComparison.Ordinal);
        Assert.Contains("40 budgets failed, 0 warnings, 3,000 passed", body, StringComparison.Ordinal);
        Assert.Contains("budget 0 of model m0 broke", body, StringComparison.Ordinal); // the first failure's message, outside the details
        Assert.Contains("Cut to fit GitHub's comment limit:", body, StringComparison.Ordinal);
        Assert.Contains("`pipelinegate-report` artifact has everything", body, StringComparison.Ordinal);
        Assert.EndsWith("</sub>\n", body, StringComparison.Ordinal); // the footer (runner, reproduce) survives the cut
        Assert.Contains("Reproduce: `pipelinegate check", body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_run_summary_limit_is_honoured_too()
    {
        var body = PullRequestComment.Build(Huge(5, 3000), Key, GateResultFixture.Options, PullRequestComment.CheckRunSummaryLimit);

        Assert.InRange(body.Length, 1, PullRequestComment.CheckRunSummaryLimit);
    }

    [Fact]
    public void Minimal_body_still_carries_marker_and_verdict()
    {
        var body = PullRequestComment.Minimal(GateResultFixture.Result, Key, GateResultFixture.Options);

        Assert.StartsWith(Key.Marker + "\n### ❌ PipelineGate: 1 budget failed", body, StringComparison.Ordinal);
        Assert.Contains("`pipelinegate-report` artifact", body, StringComparison.Ordinal);
        Assert.True(body.Length < 400);
    }

    internal static GateResult Huge(int failures, int passes)
    {
        CheckResult Check(int i, CheckOutcome outcome) => new()
        {
            Id = $"m{i % 7}/original/—/file-size/absolute#{i}", Model = $"m{i % 7}", Variant = "original", Target = "—", Metric = "file-size",
            Kind = BudgetKind.Absolute, BudgetText = "≤ 6 MB", Unit = "bytes", Actual = 7_000_000 + i, Reference = 6_000_000, Deterministic = true,
            Outcome = outcome, Code = outcome == CheckOutcome.Fail ? PgCode.SizeOverBudget : null,
            Message = outcome == CheckOutcome.Fail ? $"budget {i} of model m{i % 7} broke: file-size is over 6 MB." : "within budget.",
            File = "/repo/models/pipelinegate.yml", Line = 10 + i, Column = 7,
        };

        return GateResultFixture.Result with
        {
            Checks = [.. Enumerable.Range(0, failures).Select(i => Check(i, CheckOutcome.Fail)), .. Enumerable.Range(failures, passes).Select(i => Check(i, CheckOutcome.Pass))],
        };
    }
}
