using System.CommandLine;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Publish;
using PipelineGate.Publish.GitHub;
using PipelineGate.Report;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>pipelinegate publish --results results.json</c>: posts stored results (comment, check run,
/// annotations, summary) without measuring, e.g. from a workflow_run job that must not run a fork's
/// code. Exit 0 when published or skipped with a notice, 2 when the target or token needs fixing
/// (PG5002 as error, PG5004), 3 when GitHub kept failing (PG5001, PG5007).
/// </summary>
internal static class PublishCommand
{
    public static Command Create()
    {
        var results = new Option<string>("--results") { Description = "The results.json to publish (written by check or merge).", Required = true };
        var pr = new Option<long?>("--pr") { Description = "The pull request number (default: read from the CI event)." };
        var key = new Option<string?>("--key") { Description = "The gate's key (config path below the repository root[#profile]); default: from the results." };
        var publishing = PublishOptions.Create(defaultMode: "auto");
        var command = new Command("publish", "Publish stored results to the CI system (PR comment, check run, annotations, job summary) without measuring.")
        {
            results, pr, publishing.Publish, publishing.Comment, publishing.FailOn, key,
        };
        command.SetAction(parse => CommandGuard.Run(() =>
        {
            var path = parse.GetValue(results)!;
            var number = parse.GetValue(pr);
            if (number is <= 0)
            {
                throw new PipelineGateException(PgCode.UsageInvalidArgument, $"--pr {number} is not a pull request number (a positive integer).");
            }

            var result = ResultsFile.Read(path);
            var failOn = ExitPolicy.Effective(PublishChoices.ParseFailOn(parse.GetValue(publishing.FailOn)!), result.WarnOnly);
            var settings = new Settings(parse.GetValue(publishing.Publish)!, parse.GetValue(publishing.Comment)!, failOn, number, Path.GetDirectoryName(Path.GetFullPath(path))!, null)
            {
                Key = parse.GetValue(key),
            };
            return ExitCode(Publish(result, settings));
        }));
        return command;
    }

    internal sealed record Settings(string Mode, string Comment, FailOn FailOn, long? PullRequest, string OutDir, string? Reproduce)
    {
        public string? Key { get; init; }
    }

    /// <summary>Publishes and prints what happened; never throws for the platform's refusals.</summary>
    internal static PublishReport Publish(GateResult result, Settings s)
    {
        var env = CiEnvironment.FromProcess();
        var mode = PublishChoices.ParseMode(s.Mode);
        var comment = PublishChoices.ParseComment(s.Comment);
        if (env.Resolve(mode) == PublishMode.None)
        {
            return new PublishReport();
        }

        var root = env.Workspace;
        var key = s.Key is { Length: > 0 } k ? new GateKey(k) : GateKey.For(result.ConfigPath, result.Profile, root);
        var request = new PublishRequest
        {
            Result = result,
            Key = key,
            Comment = comment,
            FailOn = s.FailOn,
            PullRequest = s.PullRequest,
            RepositoryRoot = root,
            OutputDirectory = Path.GetFullPath(s.OutDir),
            Report = new ReportOptions
            {
                ReproduceCommand = s.Reproduce ?? ReproduceCommand.From(result, key),
                ArtifactName = Rendering.ReportRenderers.ArtifactName,
            },
        };
        var report = Publishers.Create(mode, env, Console.Out).PublishAsync(request).GetAwaiter().GetResult();
        if (env.IsGitHubActions)
        {
            GitHubOutputs.Write(env, result.Summary, request.Fails, s.OutDir);
        }

        foreach (var d in report.Diagnostics)
        {
            Console.Error.WriteLine(d.ToString());
        }

        return report;
    }

    private static int ExitCode(PublishReport report) => report.FirstError switch
    {
        null => ExitCodes.Success,
        PgCode.PublishFailed or PgCode.PublishRateLimited => ExitCodes.InternalError,
        _ => ExitCodes.UsageError,
    };
}
