using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Publish;
using PipelineGate.Report;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// Hands a verdict to the publisher <c>--publish</c> picked and prints what it could not do. Shared by
/// <c>check</c> (right after the run) and <c>publish</c> (from a stored results.json, e.g. after a merge).
/// </summary>
internal static class PublishStep
{
    public static PublishReport Run(GateResult result, PublishSettings settings, string outDir, string? reproduce, CiEnvironment environment, TextWriter log, TextWriter errors)
    {
        var publisher = Publishers.Create(settings.Mode, environment, log);
        if (publisher is NullPublisher)
        {
            return new PublishReport();
        }

        var request = new PublishRequest
        {
            Result = result,
            Key = GateKey.For(result.ConfigPath, result.Profile, environment.Workspace),
            Comment = settings.Comment,
            FailOn = ExitPolicy.Effective(settings.FailOn, result.WarnOnly),
            PullRequest = settings.PullRequest,
            Report = ReportOptions.Default with { ReproduceCommand = reproduce },
            RepositoryRoot = environment.Workspace,
            OutputDirectory = Path.GetFullPath(outDir),
        };
        var report = publisher.PublishAsync(request).GetAwaiter().GetResult();
        foreach (var d in report.Diagnostics.Where(static d => d.Severity != DiagnosticSeverity.Info))
        {
            errors.WriteLine(d.ToString());
        }

        return report;
    }
}
