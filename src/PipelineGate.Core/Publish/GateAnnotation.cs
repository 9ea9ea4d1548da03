using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;

namespace PipelineGate.Publish;

/// <summary>
/// A failed or warned budget placed on its line of pipelinegate.yml: the same data goes into a check
/// run's annotations or a workflow command, whichever the token allows.
/// </summary>
/// <param name="IsError">Failure (true) or warning.</param>
/// <param name="Path">The config's path relative to the repository root, with '/'; null when the check has no location.</param>
/// <param name="Line">1-based line of the budget.</param>
/// <param name="Column">1-based column of the budget.</param>
/// <param name="Title">Code, model, target, metric and variant.</param>
/// <param name="Message">What happened, with the budget.</param>
public sealed record GateAnnotation(bool IsError, string? Path, int? Line, int? Column, string Title, string Message)
{
    /// <summary>The failures, then the warnings, in the results' order.</summary>
    public static IReadOnlyList<GateAnnotation> From(GateResult result, string? repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Checks
            .Where(static c => c.Outcome is CheckOutcome.Fail or CheckOutcome.Warn)
            .OrderBy(static c => c.Outcome == CheckOutcome.Fail ? 0 : 1)
            .Select(c => Of(c, repositoryRoot))];
    }

    private static GateAnnotation Of(CheckResult c, string? root)
    {
        var subject = c.Target == "—" ? $"{c.Metric} ({c.Variant})" : $"{c.Target} {c.Metric} ({c.Variant})";
        var title = c.Code is { } code ? $"{Diagnostic.FormatCode(code)} {c.Model}: {subject}" : $"{c.Model}: {subject}";
        var path = c.File is { Length: > 0 } f ? GateKey.RelativePath(f, root) : null;
        return new GateAnnotation(c.Outcome == CheckOutcome.Fail, path, c.Line, c.Column, title, $"{c.Message} Budget: {c.BudgetText}.");
    }

    public string ToWorkflowCommand() => WorkflowCommands.Format(
        IsError ? "error" : "warning",
        [("file", Path), ("line", Line?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
         ("col", Path is null ? null : Column?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("title", Title)],
        Message);
}
