using System.Globalization;
using PipelineGate.Gate.Results;
using PipelineGate.Report;
using Xunit;

namespace PipelineGate.Tests.Report;

public sealed class MarkdownReportTests
{
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

        Golden.Match("report.md", MarkdownReport.Render(GateResultFixture.Result, GateResultFixture.Options));
    }

    [Fact]
    public void Starts_with_the_marker_and_the_verdict()
    {
        var lines = MarkdownReport.Render(GateResultFixture.Result, GateResultFixture.Options).Split('\n');

        Assert.Equal("<!-- pipelinegate:report v1 -->", lines[0]);
        Assert.Equal("### ❌ PipelineGate: 1 budget failed, 1 warning, 8 passed, 2 skipped — `models/classifier.onnx`", lines[1]);
    }

    [Fact]
    public void Summary_table_puts_the_failure_first_then_the_warning_then_key_passes()
    {
        var md = MarkdownReport.Render(GateResultFixture.Result, GateResultFixture.Options);
        var summary = md[..md.IndexOf("<details>", StringComparison.Ordinal)];
        var rows = summary.Split('\n').Where(static l => l.StartsWith("| ", StringComparison.Ordinal)).Skip(1).ToList();

        Assert.Contains("❌ PG4102 · re-measured", rows[0], StringComparison.Ordinal);
        Assert.Contains("**+", rows[0], StringComparison.Ordinal);
        Assert.Contains("(95% CI +", rows[0], StringComparison.Ordinal);
        Assert.Contains("⚠️ PG4102", rows[1], StringComparison.Ordinal);
        Assert.InRange(rows.Count, 3, 2 + 3);
        Assert.All(rows.Skip(2), static r => Assert.EndsWith("✅ |", r, StringComparison.Ordinal));
        Assert.Contains(rows, static r => r.Contains("| 17,199,320 B | 17,203,416 B | +4,096 B | ≤ 20 MB |", StringComparison.Ordinal));
        Assert.Contains(rows, static r => r.Contains("McNemar p = 0.62", StringComparison.Ordinal));
    }

    [Fact]
    public void Footer_names_runner_reproduce_command_and_artifact()
    {
        var md = MarkdownReport.Render(GateResultFixture.Result, GateResultFixture.Options);
        var tail = md[md.LastIndexOf("</details>", StringComparison.Ordinal)..];

        Assert.Contains("Runner: AMD EPYC 9R45 (Zen 5)", tail, StringComparison.Ordinal);
        Assert.Contains("measured interleaved in this job (A/B)", tail, StringComparison.Ordinal);
        Assert.Contains("Reproduce: `pipelinegate check --baseline-ref origin/main --profile pr`", tail, StringComparison.Ordinal);
        Assert.Contains("`pipelinegate-report` artifact", tail, StringComparison.Ordinal);
    }

    [Fact]
    public void Details_hold_every_check_variant_notes_notices_and_a_text_chart()
    {
        var md = MarkdownReport.Render(GateResultFixture.Result, GateResultFixture.Options);
        var details = md[md.IndexOf("<details>", StringComparison.Ordinal)..md.IndexOf("</details>", StringComparison.Ordinal)];

        var allChecks = details[details.IndexOf("#### All checks", StringComparison.Ordinal)..details.IndexOf("#### Variants", StringComparison.Ordinal)];
        Assert.Equal(GateResultFixture.Result.Checks.Count + 1, allChecks.Split('\n').Count(static l => l.StartsWith("| ", StringComparison.Ordinal)));
        Assert.Contains("|  | original | int8 |", details, StringComparison.Ordinal);
        Assert.Contains("kept in float: /classifier/head/Gemm", details, StringComparison.Ordinal);
        Assert.Contains("| 4,812,330 B | 4,812,330 B | 0 | ≤ 6 MB |", details, StringComparison.Ordinal); // exact, to the byte
        Assert.Contains("\\| first layer &lt;stem>", details, StringComparison.Ordinal); // escaped: neither a cell break nor a tag
        Assert.Contains("**PG3003** Target cuda skipped", details, StringComparison.Ordinal);
        Assert.Contains("```text", details, StringComparison.Ordinal);
        Assert.Matches("base [ ▁▂▃▄▅▆▇█]{40} p50 ", details);
        Assert.DoesNotContain("<svg", md, StringComparison.Ordinal);
        Assert.DoesNotContain("![", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_run_is_cut_to_fit_the_comment_limit()
    {
        var big = Enlarged(GateResultFixture.Result, 4000);

        var md = MarkdownReport.Render(big, GateResultFixture.Options);

        Assert.InRange(md.Length, 60_000, ReportOptions.GitHubCommentLimit);
        Assert.StartsWith("<!-- pipelinegate:report v1 -->\n### ❌ PipelineGate: 1 budget failed", md, StringComparison.Ordinal);
        Assert.Contains("*Cut to fit GitHub's comment limit:", md, StringComparison.Ordinal);
        Assert.Equal(1, Count(md, "<details>"));
        Assert.Equal(1, Count(md, "</details>"));
        Assert.Equal(0, Count(md, "```") % 2);
        Assert.Contains("Reproduce: `pipelinegate check", md, StringComparison.Ordinal);
        Assert.EndsWith("</sub>\n", md, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6_000)]
    [InlineData(2_500)]
    [InlineData(400)]
    public void Any_limit_is_respected(int limit)
    {
        var md = MarkdownReport.Render(GateResultFixture.Result, GateResultFixture.Options with { MaxMarkdownLength = limit });

        Assert.True(md.Length <= limit, $"{md.Length} > {limit}");
        Assert.StartsWith("<!-- pipelinegate:report v1 -->\n### ❌", md, StringComparison.Ordinal);
        Assert.Equal(Count(md, "<details>"), Count(md, "</details>"));
    }

    [Fact]
    public void Without_problems_the_verdict_is_green_and_max_rows_caps_the_table()
    {
        var r = GateResultFixture.Result;
        var green = r with { Checks = [.. r.Checks.Where(static c => c.Outcome == CheckOutcome.Pass)] };

        var md = MarkdownReport.Render(green, GateResultFixture.Options with { MaxRows = 2 });
        var summary = md[..md.IndexOf("<details>", StringComparison.Ordinal)];

        Assert.StartsWith("<!-- pipelinegate:report v1 -->\n### ✅ PipelineGate: 0 budgets failed, 0 warnings, 8 passed —", md, StringComparison.Ordinal);
        Assert.Equal(2 + 2, summary.Split('\n').Count(static l => l.StartsWith('|')));
    }

    internal static GateResult Enlarged(GateResult r, int copies)
    {
        var extra = Enumerable.Range(0, copies).Select(i => r.Checks[i % r.Checks.Count] with
        {
            Id = $"classifier/original/cpu/latency.p50/regression-{i}",
            Outcome = CheckOutcome.Pass,
            Code = null,
            Remeasured = false,
        });
        return r with { Checks = [.. r.Checks, .. extra] };
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
