using System.Globalization;

namespace PipelineGate.Publish;

/// <summary>
/// Prints annotations as workflow commands. The runner shows only 10 errors and 10 warnings per step
/// (actions/runner ExecutionContext, _maxIssueCount) and silently drops the rest, so we print at most
/// that many of each and say once, in one notice, how many more there are and where they are.
/// </summary>
public static class AnnotationPrinter
{
    public const int MaxPerKind = IssueCap.MaxPerKind;

    /// <returns>How many annotations were printed.</returns>
    public static int Print(IEnumerable<GateAnnotation> annotations, TextWriter log, string? reportName = null)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(log);
        var (shown, hiddenErrors, hiddenWarnings) = IssueCap.Write(annotations, a => log.WriteLine(a.ToWorkflowCommand()));
        if (hiddenErrors + hiddenWarnings > 0)
        {
            var where = reportName is { Length: > 0 } r ? $"the {r} artifact and the job summary" : "the job summary and report.md";
            var message = string.Create(CultureInfo.InvariantCulture,
                $"PipelineGate: {hiddenErrors} more failed and {hiddenWarnings} more warned budgets are not shown as annotations (GitHub shows {MaxPerKind} of each per step); {where} list every one.");
            log.WriteLine(WorkflowCommands.Format("notice", [("title", "PipelineGate")], message));
        }

        return shown;
    }
}
