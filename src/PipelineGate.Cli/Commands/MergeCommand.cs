using System.CommandLine;
using PipelineGate.Cli.Rendering;
using PipelineGate.Publish;
using PipelineGate.Publish.Merge;
using Spectre.Console;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>pipelinegate merge</c>: joins the results.json of shards (--shard, --target, one job per pool) into
/// one result and writes the usual files for it. Exit 0 once merged: the verdict is publish's to act on.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("results") { Description = "The shards' results.json files (or folders holding one).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for the merged results.json, report.md, report.html, junit.xml.", DefaultValueFactory = _ => CheckCommand.DefaultOut };
        var command = new Command("merge", "Merge shard results into one report.") { inputs, output };
        command.SetAction(parse => CommandGuard.Run(() => Execute(parse.GetValue(inputs)!, parse.GetValue(output)!)));
        return command;
    }

    internal static int Execute(IReadOnlyList<string> inputs, string outDir)
    {
        var files = inputs.Select(static p => Directory.Exists(p) ? Path.Combine(p, ReportWriter.ResultsFile) : p).ToList();
        var merged = ResultsMerger.Merge([.. files.Select(static f => (f, ResultsFile.Read(f)))]);
        ReportWriter.WriteAll(merged, outDir, "pipelinegate check" + (merged.Profile is { } p ? " --profile " + p : string.Empty));
        ReportWriter.Print(AnsiConsole.Console, merged, outDir);
        return ExitCodes.Success;
    }
}
