using System.Text.RegularExpressions;
using PipelineGate.Diagnostics;
using PipelineGate.Report;
using Xunit;

namespace PipelineGate.Tests.Report;

public sealed class HtmlReportTests
{
    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    public void Matches_the_golden_file_in_every_culture(string culture)
    {
        using var _ = new CultureScope(culture);
        Golden.Match("report.html", HtmlReport.Render(GateResultFixture.Result, GateResultFixture.Options));
    }

    [Fact]
    public void References_nothing_outside_the_page()
    {
        var html = HtmlReport.Render(GateResultFixture.Result, GateResultFixture.Options);

        var urls = Regex.Matches(html, @"https?://[^\s""'<>]*", RegexOptions.IgnoreCase).Select(static m => m.Value).Distinct().ToList();
        Assert.Equal(["http://www.w3.org/2000/svg"], urls);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("content=\"default-src 'none';", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_chart_has_a_unique_id_and_an_explicit_size()
    {
        var html = HtmlReport.Render(GateResultFixture.Result, GateResultFixture.Options);

        var charts = Regex.Matches(html, "<svg class=\"pg-chart\" id=\"(?<id>[a-z0-9-]+)\" xmlns=\"[^\"]+\" width=\"(?<w>\\d+)\" height=\"(?<h>\\d+)\" viewBox=\"0 0 \\k<w> \\k<h>\"");
        Assert.Equal(Regex.Count(html, "<svg"), charts.Count);
        Assert.Equal(2, charts.Count(static m => m.Groups["id"].Value.StartsWith("pg-latency-", StringComparison.Ordinal)));
        Assert.Equal(10, charts.Count(static m => m.Groups["id"].Value.StartsWith("pg-budget-", StringComparison.Ordinal))); // every check not skipped
        Assert.Equal(charts.Count, charts.Select(static m => m.Groups["id"].Value).Distinct().Count());
        Assert.Contains("<pre id=\"pg-layout\"></pre>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void User_text_is_escaped()
    {
        var r = GateResultFixture.Result;
        var hostile = r with { Notices = [new Diagnostic(PgCode.ModelCorrupt, DiagnosticSeverity.Error, "<script>alert(1)</script> & \"x\"")] };

        var html = HtmlReport.Render(hostile, GateResultFixture.Options);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<script>"));
    }
}
