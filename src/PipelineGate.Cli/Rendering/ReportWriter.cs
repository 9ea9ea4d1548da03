using PipelineGate.Gate.Results;
using PipelineGate.IO;
using PipelineGate.Report;
using Spectre.Console;

namespace PipelineGate.Cli.Rendering;

/// <summary>
/// Writes a gate run's files. Everything is rendered in memory first, then each file is written
/// atomically, so a failure while rendering leaves the previous set untouched and never a partial one.
/// </summary>
internal static class ReportWriter
{
    public const string ResultsFile = "results.json";

    public static void WriteAll(GateResult result, string outDir, string reproduce)
    {
        var files = new List<(string Name, string Content)>
        {
            (ResultsFile, MachineJson.Serialize(result)),
        };
        files.AddRange(ReportRenderers.Render(result, reproduce));
        Directory.CreateDirectory(outDir);
        foreach (var (name, content) in files)
        {
            AtomicFile.WriteAllText(Path.Combine(outDir, name), content);
        }
    }

    public static void Print(IAnsiConsole console, GateResult result, string outDir)
    {
        ReportRenderers.PrintConsole(console, result);
        foreach (var n in result.Notices)
        {
            console.MarkupLine($"[grey]{Markup.Escape(n.ToString())}[/]");
        }

        var s = result.Summary;
        var errors = result.Notices.Count(static n => n.Severity == Diagnostics.DiagnosticSeverity.Error);
        var verdict = errors > 0 ? $"[red]ERROR[/] ({errors} model{(errors == 1 ? "" : "s")} could not be measured)" : s.Outcome switch
        {
            CheckOutcome.Fail => result.WarnOnly ? "[yellow]FAILED (warn-only: exit 0)[/]" : "[red]FAILED[/]",
            CheckOutcome.Warn => "[yellow]PASSED with warnings[/]",
            _ => "[green]PASSED[/]",
        };
        console.MarkupLine($"PipelineGate {verdict}: {s.Failed} failed, {s.Warned} warnings, {s.Passed} passed, {s.Skipped} skipped. Reports in [bold]{Markup.Escape(outDir)}[/].");
    }
}
