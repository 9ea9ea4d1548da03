using System.Globalization;
using System.Text.RegularExpressions;

namespace PipelineGate.Publish.AzureDevOps;

/// <summary>
/// Prints the failed and warned budgets as <c>task.logissue</c> commands at their line of pipelinegate.yml.
/// The agent keeps only 10 errors and 10 warnings per step, so at most that many of each are printed and
/// the rest are counted once, in a plain log line (an eleventh issue would itself be dropped).
/// </summary>
public static partial class LogIssuePrinter
{
    public const int MaxPerKind = IssueCap.MaxPerKind;

    /// <returns>How many issues were printed.</returns>
    public static int Print(IEnumerable<GateAnnotation> annotations, TextWriter log, string? reportName = null)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        ArgumentNullException.ThrowIfNull(log);
        var (shown, hiddenErrors, hiddenWarnings) = IssueCap.Write(annotations, a => log.WriteLine(Command(a)));
        if (hiddenErrors + hiddenWarnings > 0)
        {
            var where = reportName is { Length: > 0 } r ? $"the {r} artifact and the Extensions tab" : "report.md and the Extensions tab";
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"PipelineGate: {hiddenErrors} more failed and {hiddenWarnings} more warned budgets are not shown as issues (Azure Pipelines keeps {MaxPerKind} of each per step); {where} list every one."));
        }

        return shown;
    }

    /// <summary>The issue of one budget: its code as the code property, the title and message as the text.</summary>
    public static string Command(GateAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        var code = CodePrefix().Match(annotation.Title) is { Success: true } m ? m.Groups[1].Value : null;
        return LoggingCommands.LogIssue(annotation.IsError, annotation.Title + ": " + annotation.Message,
            annotation.Path, annotation.Line, annotation.Path is null ? null : annotation.Column, code);
    }

    // GateAnnotation's title starts with the check's code when it has one ("PG4102 model: …").
    [GeneratedRegex(@"^(PG\d{4}) ", RegexOptions.CultureInvariant)]
    private static partial Regex CodePrefix();
}
