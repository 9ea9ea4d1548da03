using System.CommandLine;
using PipelineGate.Cli.Rendering;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.IO;
using PipelineGate.Report;
using Spectre.Console;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>pipelinegate baseline save --out FILE</c>: measures every model and variant (no judging against
/// anything) and stores the results, raw latency samples included, for later
/// <c>check --baseline-results FILE</c> runs and release ratchets.
/// </summary>
internal static class BaselineCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "The config file.", DefaultValueFactory = _ => "" };
        var profile = new Option<string?>("--profile") { Description = "A profile from the config (its measure settings apply)." };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the stored results (JSON).", Required = true };
        var save = new Command("save", "Measure and store results as a baseline for later runs.") { config, profile, output };
        save.SetAction(parse => CommandGuard.Run(() =>
        {
            var path = CheckCommand.ResolveConfig(parse.GetValue(config)!);
            var outFile = parse.GetValue(output)!;
            var result = GateRunner.Run(ConfigLoader.Load(path), new GateRunOptions
            {
                Profile = parse.GetValue(profile),
                WorkDirectory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outFile))!, ".pipelinegate-work"),
                ToolVersion = ToolInfo.Version,
            });
            AtomicFile.WriteAllText(outFile, MachineJson.Serialize(result));
            AnsiConsole.MarkupLine($"Stored the results of {result.Models.Sum(static m => m.Variants.Count)} variant(s) in [bold]{Markup.Escape(outFile)}[/].");
            return ExitCodes.Success;
        }));
        return new Command("baseline", "Manage stored baselines.") { save };
    }
}
