using System.CommandLine;
using PipelineGate.Publish;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>pipelinegate publish</c>: publishes a stored results.json (a merged one, typically) as <c>check</c>
/// would have: PR comment or thread, issues, summary. Exit 1 when the verdict fails under --fail-on,
/// 2 when publishing itself failed (a PG5xxx error), else 0.
/// </summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var results = new Option<string>("--results", "-r") { Description = "The results.json to publish.", DefaultValueFactory = _ => Path.Combine(CheckCommand.DefaultOut, "results.json") };
        var publish = new PublishOptions();
        var command = new Command("publish", "Publish a stored results.json (e.g. after 'pipelinegate merge') to the CI system.") { results };
        publish.AddTo(command);
        command.SetAction(parse => CommandGuard.Run(() => Execute(parse.GetValue(results)!, publish.Read(parse), CiEnvironment.FromProcess(), Console.Out, Console.Error)));
        return command;
    }

    internal static int Execute(string resultsPath, PublishSettings settings, CiEnvironment environment, TextWriter log, TextWriter errors)
    {
        var result = ResultsFile.Read(resultsPath);
        var report = PublishStep.Run(result, settings, Path.GetDirectoryName(Path.GetFullPath(resultsPath))!, null, environment, log, errors);
        if (ExitPolicy.Fails(result.Summary, settings.FailOn, result.WarnOnly))
        {
            return ExitCodes.BudgetFailed;
        }

        return report.FirstError is { } code ? ExitCodes.For(code) : ExitCodes.Success;
    }
}
