using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// The cells of one check as plain text, before any format's escaping: what every renderer shows in
/// its tables. <see cref="Change"/> is the estimate; <see cref="ChangeDetail"/> its uncertainty
/// (interval and p-value), kept apart so that a format can emphasise the one and not the other.
/// </summary>
internal sealed record CheckRow(
    CheckResult Check,
    string Target,
    string Metric,
    string Base,
    string Actual,
    string Change,
    string? ChangeDetail,
    string Budget,
    string Symbol,
    string Mark)
{
    public string? CodeText => Check.Code is { } code ? Diagnostic.FormatCode(code) : null;

    public static CheckRow Of(CheckResult c, ReportContext ctx)
    {
        var (change, detail) = CheckValues.Change(c, ctx);
        return new CheckRow(
            c,
            c.Target,
            MetricLabel(c, ctx),
            CheckValues.Base(c, ctx) is { } b ? CheckValues.Value(b, c.Unit) : ReportFormat.Dash,
            c.Actual is { } a ? CheckValues.Value(a, c.Unit) : ReportFormat.Dash,
            change,
            detail,
            c.BudgetText,
            SymbolOf(c.Outcome),
            MarkText(c));
    }

    public static string SymbolOf(CheckOutcome o) => o switch
    {
        CheckOutcome.Fail => "❌",
        CheckOutcome.Warn => "⚠️",
        CheckOutcome.Pass => "✅",
        _ => "⏭️",
    };

    public static string OutcomeWord(CheckOutcome o) => o switch
    {
        CheckOutcome.Fail => "failed",
        CheckOutcome.Warn => "warning",
        CheckOutcome.Pass => "passed",
        _ => "skipped",
    };

    /// <summary>"latency p90", with the variant when the model has several, and the model when the run has several.</summary>
    public static string MetricLabel(CheckResult c, ReportContext ctx)
    {
        var label = c.Metric.Replace('.', ' ').Replace('-', ' ');
        if (c.Kind is BudgetKind.DropFromOriginal or BudgetKind.RegressionFromOriginal)
        {
            label += $" ({c.Variant} vs original)";
        }
        else if (ctx.HasSeveralVariants(c.Model))
        {
            label += $" ({c.Variant})";
        }

        return ctx.MultipleModels ? $"{c.Model}: {label}" : label;
    }

    private static string MarkText(CheckResult c)
    {
        var text = c.Code is { } code ? Diagnostic.FormatCode(code) : c.Outcome == CheckOutcome.Skipped ? "skipped" : string.Empty;
        return c.Remeasured ? (text.Length > 0 ? text + " · re-measured" : "re-measured") : text;
    }
}
