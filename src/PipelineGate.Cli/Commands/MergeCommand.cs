using System.CommandLine;
using PipelineGate.Cli.Rendering;
using PipelineGate.Publish;
using PipelineGate.Publish.Merge;
using Spectre.Console;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>pipelinegate merge shard1/results.json shard2/results.json --out DIR</c>: one results file, one
/// report and one exit code from the shards of a run, as if it had not been sharded.
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("results") { Description = "The shards' results.json files.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for the merged results.json and reports.", DefaultValueFactory = _ => CheckCommand.DefaultOut };
        var failOn = PublishOptions.Create().FailOn;
        var command = new Command("merge", "Merge shard results (--shard, --target) into one results.json, report and exit code.")
        {
            files, output, failOn,
        };
        command.SetAction(parse => CommandGuard.Run(() =>
        {
            var shards = parse.GetValue(files)!.Select(static p => (p, ResultsFile.Read(p))).ToList();
            var merged = ResultsMerger.Merge(shards);
            var outDir = parse.GetValue(output)!;
            var key = GateKey.For(merged.ConfigPath, merged.Profile, CiEnvironment.FromProcess().Workspace);
            ReportWriter.WriteAll(merged, outDir, ReproduceCommand.From(merged, key));
            ReportWriter.Print(AnsiConsole.Console, merged, outDir);
            var policy = ExitPolicy.Effective(PublishChoices.ParseFailOn(parse.GetValue(failOn)!), merged.WarnOnly);
            return ExitPolicy.Fails(merged.Summary, policy) ? ExitCodes.BudgetFailed : ExitCodes.Success;
        }));
        return command;
    }
}
