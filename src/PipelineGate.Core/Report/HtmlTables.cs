using System.Text;
using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>The tables of the HTML page: the checks (with a budget bar each) and the variants side by side.</summary>
internal static class HtmlTables
{
    public static string Checks(ReportContext ctx, IEnumerable<CheckResult> checks, bool withBars)
    {
        var sb = new StringBuilder("<table class=\"checks\">\n<thead><tr><th></th><th>Target</th><th>Metric</th>");
        sb.Append("<th>Base (").Append(HtmlText.Escape(ctx.BaseLabel)).Append(")</th><th>This PR</th><th>Change</th><th>Budget</th><th>Code</th>");
        sb.Append(withBars ? "<th>Value against limit</th>" : string.Empty).Append("</tr></thead>\n<tbody>\n");
        var index = 0;
        foreach (var c in checks)
        {
            var row = CheckRow.Of(c, ctx);
            sb.Append("<tr class=\"").Append(RowClass(c.Outcome)).Append("\">");
            sb.Append("<td title=\"").Append(CheckRow.OutcomeWord(c.Outcome)).Append("\">").Append(row.Symbol).Append("</td>");
            sb.Append(HtmlText.Cell(row.Target)).Append(HtmlText.Cell(row.Metric));
            sb.Append(HtmlText.Cell(row.Base, cls: "num")).Append(HtmlText.Cell(row.Actual, cls: "num"));
            sb.Append("<td>").Append(c.Outcome == CheckOutcome.Fail ? $"<strong>{HtmlText.Escape(row.Change)}</strong>" : HtmlText.Escape(row.Change));
            if (row.ChangeDetail is { } detail)
            {
                sb.Append("<br><span class=\"detail\">").Append(HtmlText.Escape(detail)).Append("</span>");
            }

            sb.Append("</td>").Append(HtmlText.Cell(row.Budget)).Append(HtmlText.Cell(row.Mark));
            if (withBars)
            {
                // The index keeps ids unique even if two checks share an id; the slug keeps them readable.
                var bar = SvgBudgetBar.Draw(c, $"pg-budget-{ReportFormat.Integer(index++)}-{HtmlText.Id(c.Id)}");
                sb.Append("<td>").Append(bar ?? ReportFormat.Dash).Append("</td>");
            }

            sb.Append("</tr>\n");
            if (withBars && c.Outcome != CheckOutcome.Pass)
            {
                sb.Append("<tr class=\"message\"><td></td><td colspan=\"8\" class=\"detail\">").Append(HtmlText.Escape(c.Message)).Append("</td></tr>\n");
            }
        }

        return sb.Append("</tbody>\n</table>\n").ToString();
    }

    private static string RowClass(CheckOutcome o) => o switch
    {
        CheckOutcome.Fail => "fail",
        CheckOutcome.Warn => "warn",
        CheckOutcome.Pass => "pass",
        _ => "skipped",
    };

    public static string Variants(ModelResult model)
    {
        var table = VariantTable.Of(model);
        var sb = new StringBuilder("<h2>Variants of <code>").Append(HtmlText.Escape(model.Path)).Append("</code></h2>\n<table class=\"variants\">\n<thead><tr>");
        foreach (var h in table.Header)
        {
            sb.Append(HtmlText.Cell(h, "th"));
        }

        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            sb.Append("<tr>").Append(HtmlText.Cell(row[0], "th"));
            foreach (var cell in row.Skip(1))
            {
                sb.Append(HtmlText.Cell(cell, cls: "num"));
            }

            sb.Append("</tr>\n");
        }

        sb.Append("</tbody>\n</table>\n");
        foreach (var v in model.Variants.Where(static v => v.Notes.Count > 0))
        {
            sb.Append("<p>Notes on <strong>").Append(HtmlText.Escape(v.Name)).Append("</strong>:</p>\n<ul>\n");
            foreach (var note in v.Notes)
            {
                sb.Append("<li>").Append(HtmlText.Escape(note)).Append("</li>\n");
            }

            sb.Append("</ul>\n");
        }

        return sb.ToString();
    }
}
