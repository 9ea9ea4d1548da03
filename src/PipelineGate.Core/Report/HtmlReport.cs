using System.Security.Cryptography;
using System.Text;
using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// The full report as one self-contained HTML page: verdict, the summary, latency distributions drawn
/// as inline SVG by our own code, every check with a bar against its budget, the variants side by side, and
/// notices. Nothing is fetched: a Content-Security-Policy forbids any load, and the one inline script
/// (the layout self-check) is allowed by its hash.
/// </summary>
public static class HtmlReport
{
    public static string Render(GateResult r, ReportOptions o)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(o);
        var ctx = new ReportContext(r, o);
        var verdict = $"PipelineGate: {ReportText.Counts(ctx.Summary)}";
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '").Append(Hash(HtmlStyle.Css))
          .Append("'; script-src '").Append(Hash(HtmlStyle.LayoutScript)).Append("'\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(HtmlText.Escape(verdict)).Append("</title>\n<style>").Append(HtmlStyle.Css).Append("</style>\n</head>\n<body>\n");

        sb.Append("<header class=\"").Append(ctx.Summary.Outcome switch { CheckOutcome.Fail => "fail", CheckOutcome.Warn => "warn", _ => "pass" }).Append("\">\n");
        sb.Append("<h1>").Append(ReportText.Icon(ctx.Summary.Outcome)).Append(' ').Append(HtmlText.Escape(verdict)).Append("</h1>\n<p>");
        sb.AppendJoin(", ", r.Models.Select(static m => $"<code>{HtmlText.Escape(m.Path)}</code>"));
        sb.Append("</p>\n");
        if (ReportText.WarnOnly(r) is { } warnOnly)
        {
            sb.Append("<p><strong>").Append(HtmlText.Escape(warnOnly)).Append("</strong></p>\n");
        }

        sb.Append("</header>\n");
        if (ctx.Headline.Count > 0)
        {
            sb.Append("<h2>Summary</h2>\n").Append(HtmlTables.Checks(ctx, ctx.Headline, withBars: false));
        }

        // The distributions come before the long table: they explain the timing rows of the summary.
        Charts(sb, r);
        sb.Append("<h2>All ").Append(HtmlText.Escape(ReportText.Plural(r.Checks.Count, "check", "checks"))).Append("</h2>\n");
        sb.Append(HtmlTables.Checks(ctx, ctx.Ordered, withBars: true));
        foreach (var model in r.Models)
        {
            sb.Append(HtmlTables.Variants(model));
        }

        Notices(sb, r);
        Footer(sb, ctx);
        sb.Append("<script>").Append(HtmlStyle.LayoutScript).Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Charts(StringBuilder sb, GateResult r)
    {
        var charts = LatencyBins.All(r, SvgLatencyChart.Bins).ToList();
        if (charts.Count > 0)
        {
            sb.Append("<h2>Latency distributions (base vs this PR)</h2>\n<div class=\"charts\">\n");
            var index = 0;
            foreach (var bins in charts)
            {
                sb.Append(SvgLatencyChart.Draw(bins, $"pg-latency-{ReportFormat.Integer(index++)}-{HtmlText.Id(bins.Title)}"));
            }

            sb.Append("</div>\n");
        }

        // Per model: which variant is on the frontier, and whether fewer MACs bought less time.
        var tradeoffs = r.Models.Select(static (m, i) => (m, Svgs: SvgTradeoffChart.Draw(m, $"pg-tradeoff-{ReportFormat.Integer(i)}-{HtmlText.Id(m.Name)}").ToList()))
            .Where(static x => x.Svgs.Count > 0)
            .ToList();
        if (tradeoffs.Count > 0)
        {
            sb.Append("<h2>Trade-offs between variants</h2>\n<div class=\"charts\">\n");
            foreach (var (_, svgs) in tradeoffs)
            {
                svgs.ForEach(svg => sb.Append(svg));
            }

            sb.Append("</div>\n");
        }
    }

    private static void Notices(StringBuilder sb, GateResult r)
    {
        if (r.Notices.Count == 0)
        {
            return;
        }

        sb.Append("<h2>Notices</h2>\n<ul>\n");
        foreach (var n in r.Notices)
        {
            sb.Append("<li><strong>").Append(n.CodeText).Append("</strong> ").Append(HtmlText.Escape(n.Message));
            if (n.Hint is { Length: > 0 } hint)
            {
                sb.Append(' ').Append(HtmlText.Escape(hint));
            }

            sb.Append("</li>\n");
        }

        sb.Append("</ul>\n");
    }

    private static void Footer(StringBuilder sb, ReportContext ctx)
    {
        var o = ctx.Options;
        sb.Append("<footer>\n<p>").Append(HtmlText.Escape(ReportText.Runner(ctx.Result))).Append("<br>")
          .Append(HtmlText.Escape(ReportText.Sentence(ReportText.Baseline(ctx)))).Append("</p>\n");
        if (o.ReproduceCommand is { Length: > 0 } command)
        {
            sb.Append("<p>Reproduce: <code>").Append(HtmlText.Escape(command)).Append("</code></p>\n");
        }

        sb.Append("<p class=\"rule\">").Append(HtmlText.Escape(ReportText.Rule(ctx))).Append("</p>\n");
        sb.Append("<p>").Append(HtmlText.Escape(ReportText.Run(ctx.Result))).Append("</p>\n");
        sb.Append("<p>Layout self-check (chart id, width, height in CSS pixels):</p>\n<pre id=\"pg-layout\"></pre>\n</footer>\n");
    }

    // CSP source for an inline block: 'sha256-…' of its exact text, so nothing else may run or style the page.
    private static string Hash(string inline) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)));
}
