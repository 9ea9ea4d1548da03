using System.Text;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// The part of the comment that is always shown: marker, verdict line, the summary table (failures,
/// warnings, then a few key passes) and one line per failure or warning saying what happened.
/// </summary>
internal static class MarkdownSummary
{
    public static string Write(ReportContext ctx)
    {
        var sb = new StringBuilder();
        sb.Append(MarkdownReport.Marker).Append('\n');
        sb.Append(MarkdownReport.Heading(ctx)).Append('\n');
        if (ctx.Result.Checks.Count == 0)
        {
            sb.Append("No budgets were checked.\n\n");
            return sb.ToString();
        }

        sb.Append(MarkdownText.HeaderRow(["", "Metric", $"Base ({MarkdownText.Escape(ctx.BaseLabel)})", "This PR", "Change", "Budget", ""]));
        foreach (var c in ctx.Headline)
        {
            sb.Append(Row(CheckRow.Of(c, ctx)));
        }

        if (ctx.HiddenProblems > 0)
        {
            sb.Append('\n').Append($"…and {ReportText.Plural(ctx.HiddenProblems, "more failure or warning", "more failures and warnings")} in the details below.\n");
        }

        var problems = ctx.Headline.Where(static c => c.Outcome is CheckOutcome.Fail or CheckOutcome.Warn).ToList();
        if (problems.Count > 0)
        {
            sb.Append('\n');
            foreach (var c in problems)
            {
                sb.Append(Message(c, ctx)).Append('\n');
            }
        }

        // A variant slower than the original is information, but the reader of the comment should not need to unfold it.
        var slower = ctx.Result.Notices.Where(static n => n.Code == PgCode.VariantSlowerThanOriginal).ToList();
        if (slower.Count > 0)
        {
            sb.Append('\n');
            foreach (var n in slower)
            {
                sb.Append(MarkdownDetails.Notice(n with { Hint = null })).Append('\n');
            }
        }

        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>"- ❌ **PG4102** cpu latency p90 (int8): message (`pipelinegate.yml:14`)".</summary>
    internal static string Message(CheckResult c, ReportContext ctx)
    {
        var row = CheckRow.Of(c, ctx);
        var code = row.CodeText is { } t ? $"**{t}** " : string.Empty;
        var where = c.File is { Length: > 0 } f ? " (" + MarkdownText.Code(c.Line is { } l ? $"{f}:{ReportFormat.Integer(l)}" : f) + ")" : string.Empty;
        var subject = c.Target == ReportFormat.Dash ? row.Metric : $"{c.Target} {row.Metric}";
        return $"- {row.Symbol} {code}{MarkdownText.Escape(subject)}: {MarkdownText.Escape(c.Message)}{where}";
    }

    private static string Row(CheckRow row)
    {
        var change = MarkdownText.Escape(row.Change);
        if (row.Check.Outcome == CheckOutcome.Fail && row.Change != ReportFormat.Dash)
        {
            change = $"**{change}**";
        }

        if (row.ChangeDetail is { } detail)
        {
            change += $" ({MarkdownText.Escape(detail)})";
        }

        var mark = row.Mark.Length > 0 ? $"{row.Symbol} {MarkdownText.Escape(row.Mark)}" : row.Symbol;
        return MarkdownText.Row([
            MarkdownText.Escape(row.Target),
            MarkdownText.Escape(row.Metric),
            MarkdownText.Escape(row.Base),
            MarkdownText.Escape(row.Actual),
            change,
            MarkdownText.Escape(row.Budget),
            mark,
        ]);
    }
}
