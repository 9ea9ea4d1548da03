using System.Text;
using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// The sticky pull-request comment: verdict line, the failing and warning checks first with their
/// uncertainty and budget, everything else folded into a <c>&lt;details&gt;</c> block, provenance
/// and how to reproduce at the end. Text only (GitHub strips SVG and we want no external images),
/// and always within <see cref="ReportOptions.MaxMarkdownLength"/>: the details are cut to fit.
/// </summary>
public static class MarkdownReport
{
    /// <summary>First line of every comment; CI finds and updates its earlier comment by it.</summary>
    public const string Marker = "<!-- pipelinegate:report v1 -->";

    public static string Render(GateResult r, ReportOptions o)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(o);
        var ctx = new ReportContext(r, o);
        var head = MarkdownSummary.Write(ctx);
        var foot = Footer(ctx);
        var details = MarkdownDetails.Write(ctx, o.MaxMarkdownLength - head.Length - foot.Length);
        var text = head + details + foot;
        return text.Length <= o.MaxMarkdownLength ? text : Minimal(ctx);
    }

    /// <summary>"### ❌ PipelineGate: 1 budget failed, 1 warning, 14 passed — `models/classifier.onnx`".</summary>
    internal static string Heading(ReportContext ctx)
    {
        var models = string.Join(", ", ReportText.ModelPaths(ctx.Result).Select(MarkdownText.Code));
        var more = ReportText.MoreModels(ctx.Result);
        if (more > 0)
        {
            models += $" and {ReportText.Plural(more, "more model", "more models")}";
        }

        var suffix = models.Length > 0 ? " — " + models : string.Empty;
        return $"### {ReportText.Icon(ctx.Summary.Outcome)} PipelineGate: {ReportText.Counts(ctx.Summary)}{suffix}\n";
    }

    private static string Footer(ReportContext ctx)
    {
        var r = ctx.Result;
        var o = ctx.Options;
        var sb = new StringBuilder();
        if (ReportText.WarnOnly(r) is { } warnOnly)
        {
            sb.Append("**").Append(MarkdownText.Escape(warnOnly)).Append("**\n\n");
        }

        sb.Append(MarkdownText.Escape(ReportText.Runner(r))).Append('\n')
          .Append(MarkdownText.Escape(ReportText.Sentence(ReportText.Baseline(ctx)))).Append('\n');
        if (o.ReproduceCommand is { Length: > 0 } command)
        {
            sb.Append("Reproduce: ").Append(MarkdownText.Code(command)).Append('\n');
        }

        if (o.ArtifactName is { Length: > 0 } artifact)
        {
            sb.Append("Full report: the ").Append(MarkdownText.Code(artifact)).Append(" artifact (HTML).\n");
        }

        sb.Append("<sub>").Append(MarkdownText.Escape(ReportText.Rule(ctx))).Append("</sub>\n\n");
        sb.Append("<sub>").Append(MarkdownText.Escape(ReportText.Run(r))).Append("</sub>\n");
        return sb.ToString();
    }

    // Only reached when the head alone is over the limit (absurd limits or thousands of models): the
    // verdict still goes out, and the comment points at the full report.
    private static string Minimal(ReportContext ctx)
    {
        var where = ctx.Options.ArtifactName is { Length: > 0 } a ? $" see the {MarkdownText.Code(a)} artifact" : " see the job log";
        var text = $"{Marker}\n{Heading(ctx)}\nThe report does not fit in a comment;{where}.\n";
        return text.Length <= ctx.Options.MaxMarkdownLength ? text : text[..Math.Max(0, ctx.Options.MaxMarkdownLength)];
    }
}
