using System.Text;
using PipelineGate.Diagnostics;

namespace PipelineGate.Report;

/// <summary>
/// The folded part of the comment: every check, the variants side by side with their notes, the
/// notices, and the latency charts, in that order of importance. When the comment limit is near,
/// whatever does not fit is left out and a note says what and where to find it.
/// </summary>
internal static class MarkdownDetails
{
    // Room kept for the closing tag and the truncation note, which must fit whatever was cut.
    private const int Reserve = 420;

    public static string Write(ReportContext ctx, int room)
    {
        var open = $"<details><summary>All {ReportText.Plural(ctx.Result.Checks.Count, "check", "checks")}, variants and latency distributions</summary>\n\n";
        const string close = "</details>\n\n";
        var budget = new MarkdownBudget(room - Reserve - close.Length);
        if (!budget.TryAppend(open))
        {
            return CutNote(ctx, ctx.Result.Checks.Count, fitsIn: room);
        }

        var checksShown = AllChecks(ctx, budget);
        foreach (var section in Sections(ctx))
        {
            budget.TryAppend(section);
        }

        var omitted = ctx.Result.Checks.Count - checksShown;
        var note = budget.Open ? string.Empty : CutNote(ctx, omitted, Reserve);
        return budget + note + close;
    }

    private static int AllChecks(ReportContext ctx, MarkdownBudget budget)
    {
        if (ctx.Ordered.Count == 0)
        {
            return 0;
        }

        var header = "#### All checks\n\n" + MarkdownText.HeaderRow(["", "Target", "Metric", "Base", "This PR", "Change", "Budget", "Code"]);
        var rows = ctx.Ordered.Select(c => Row(CheckRow.Of(c, ctx))).ToList();
        if (!budget.TryAppend(header + rows[0]))
        {
            return 0;
        }

        var shown = 1;
        while (shown < rows.Count && budget.TryAppend(rows[shown]))
        {
            shown++;
        }

        budget.TryAppend("\n");
        return shown;
    }

    private static IEnumerable<string> Sections(ReportContext ctx)
    {
        foreach (var model in ctx.Result.Models)
        {
            var table = VariantTable.Of(model);
            var sb = new StringBuilder();
            sb.Append("#### Variants of ").Append(MarkdownText.Code(model.Path)).Append("\n\n");
            sb.Append(MarkdownText.HeaderRow([.. table.Header.Select(MarkdownText.Escape)]));
            foreach (var row in table.Rows)
            {
                sb.Append(MarkdownText.Row(row.Select(MarkdownText.Escape)));
            }

            sb.Append('\n');
            foreach (var v in model.Variants.Where(static v => v.Notes.Count > 0))
            {
                sb.Append("Notes on **").Append(MarkdownText.Escape(v.Name)).Append("**:\n");
                foreach (var note in v.Notes)
                {
                    sb.Append("- ").Append(MarkdownText.Escape(note)).Append('\n');
                }

                sb.Append('\n');
            }

            yield return sb.ToString();
        }

        if (ctx.Result.Notices.Count > 0)
        {
            yield return "#### Notices\n\n" + string.Concat(ctx.Result.Notices.Select(static n => Notice(n) + "\n")) + "\n";
        }

        var charts = MarkdownChart.Write(ctx.Result);
        if (charts.Length > 0)
        {
            yield return "#### Latency distributions (base vs this PR)\n\n" + charts;
        }
    }

    internal static string Notice(Diagnostic n)
    {
        var icon = n.Severity switch
        {
            DiagnosticSeverity.Error => "❌",
            DiagnosticSeverity.Warning => "⚠️",
            _ => "ℹ️",
        };
        var hint = n.Hint is { Length: > 0 } h ? " " + MarkdownText.Escape(h) : string.Empty;
        return $"- {icon} **{n.CodeText}** {MarkdownText.Escape(n.Message)}{hint}";
    }

    private static string Row(CheckRow row)
    {
        var change = MarkdownText.Escape(row.Change) + (row.ChangeDetail is { } d ? $" ({MarkdownText.Escape(d)})" : string.Empty);
        return MarkdownText.Row([
            row.Symbol,
            MarkdownText.Escape(row.Target),
            MarkdownText.Escape(row.Metric),
            MarkdownText.Escape(row.Base),
            MarkdownText.Escape(row.Actual),
            change,
            MarkdownText.Escape(row.Budget),
            MarkdownText.Escape(row.Mark),
        ]);
    }

    private static string CutNote(ReportContext ctx, int omittedChecks, int fitsIn)
    {
        var where = ctx.Options.ArtifactName is { Length: > 0 } a ? $"the {MarkdownText.Code(a)} artifact" : "the full report";
        var what = omittedChecks > 0 ? $"{ReportText.Plural(omittedChecks, "check", "checks")} and the sections after them" : "some sections";
        var note = $"\n*Cut to fit GitHub's comment limit: {what} are not shown here; {where} has everything.*\n\n";
        return note.Length <= fitsIn ? note : string.Empty;
    }
}
