using PipelineGate.Gate.Results;
using PipelineGate.Report;
using Spectre.Console;

namespace PipelineGate.Cli.Rendering;

/// <summary>The report formats written next to results.json (Markdown, HTML, JUnit) and the console view.</summary>
internal static class ReportRenderers
{
    public const string ArtifactName = "pipelinegate-report";

    public static IEnumerable<(string Name, string Content)> Render(GateResult result, string reproduce)
    {
        var options = Options(reproduce) with { BaseLabel = BaseLabel(result.Baseline) };
        yield return ("report.md", MarkdownReport.Render(result, options));
        yield return ("report.html", HtmlReport.Render(result, options));
        yield return ("junit.xml", JUnitReport.Render(result, options));
    }

    public static void PrintConsole(IAnsiConsole console, GateResult result) =>
        console.Write(ConsoleReport.Build(result, Options("pipelinegate check")));

    private static string? BaseLabel(BaselineInfo b) => b.Kind switch
    {
        "ref" => $"{b.Ref} @ {(b.Commit is { Length: > 7 } c ? c[..7] : b.Commit)}",
        "results" => Path.GetFileName(b.ResultsPath),
        _ => null,
    };

    private static ReportOptions Options(string reproduce) => new() { ReproduceCommand = reproduce, ArtifactName = ArtifactName };
}
