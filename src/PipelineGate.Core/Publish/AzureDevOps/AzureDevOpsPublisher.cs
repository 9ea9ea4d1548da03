using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Publish.GitHub;

namespace PipelineGate.Publish.AzureDevOps;

/// <summary>
/// Publishes a verdict to Azure Pipelines: the failed and warned budgets as issues at their line of
/// pipelinegate.yml, report.md on the Extensions tab, junit.xml as a test run, and one pull-request
/// thread per gate. Each part fails on its own; nothing here changes the exit code, and the step's
/// result is the task handler's to set (the CLI never writes task.complete).
/// </summary>
public sealed class AzureDevOpsPublisher(CiEnvironment environment, TextWriter log, RetryOptions? retry = null) : IPublisher
{
    public const string SummaryFile = "report.md";
    public const string JUnitFile = "junit.xml";

    private readonly RetryOptions _retry = retry ?? RetryOptions.Default;

    public string Name => "azure-devops";

    public async Task<PublishReport> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = new PublishReport();
        var ctx = AzureDevOpsContext.Read(environment, request.PullRequest);
        if (ctx?.Token is { Length: > 0 } token)
        {
            log.WriteLine(LoggingCommands.SetSecret(token));
        }

        var annotations = GateAnnotation.From(request.Result, request.RepositoryRoot ?? environment.Workspace);
        report.AnnotationsPrinted = LogIssuePrinter.Print(annotations, log, request.Report.ArtifactName);
        report.SummaryWritten = UploadSummary(request);
        PublishTests(request);
        if (ctx is null)
        {
            report.Add(new Diagnostic(PgCode.PublishContextMissing, DiagnosticSeverity.Warning,
                "Publishing to Azure DevOps needs SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT and BUILD_REPOSITORY_ID, which are not all set: this is not an Azure Pipelines job. The pull-request thread is skipped.",
                Hint: "Run inside Azure Pipelines; use --publish auto to publish only where a CI system is detected."));
        }
        else
        {
            await ThreadAsync(request, ctx, report, cancellationToken).ConfigureAwait(false);
        }

        Finish(report, ctx?.Token);
        return report;
    }

    private async Task ThreadAsync(PublishRequest request, AzureDevOpsContext ctx, PublishReport report, CancellationToken ct)
    {
        if (request.Comment == CommentMode.Never)
        {
            return;
        }

        if (ctx.PullRequest is null)
        {
            report.Add(new Diagnostic(PgCode.PublishNotInPullRequest, DiagnosticSeverity.Info,
                $"Not a pull-request build (BUILD_REASON={ctx.BuildReason ?? "unset"}): the pull-request thread is skipped; the issues, summary and test results still go out.",
                Hint: "Pass --pr N to publish to a given pull request, or run the pipeline from a branch policy (build validation)."));
            return;
        }

        if (ctx.Token is null)
        {
            report.Add(new Diagnostic(PgCode.PublishTokenMissing, DiagnosticSeverity.Warning,
                $"No token in {AzureDevOpsContext.TokenVariable}: the pull-request thread is skipped (the agent passes the job's token to a step only when the step maps it).",
                Hint: $"Add '{AzureDevOpsContext.TokenMapping}' to the step (the PipelineGate task and templates/azure-pipelines/steps.yml do it), and grant the build service '{AzureDevOpsContext.Permission}'."));
            return;
        }

        var outcome = request.Result.Summary.Outcome;
        var create = request.Comment == CommentMode.Always || outcome != CheckOutcome.Pass;
        var status = outcome is CheckOutcome.Fail or CheckOutcome.Warn ? ThreadStatus.Active : ThreadStatus.Fixed;
        var content = PullRequestComment.Build(request.Result, request.Key, request.Report);
        using var http = new HttpClient { Timeout = _retry.RequestTimeout };
        var call = new AzureDevOpsRetry(_retry);
        try
        {
            if (await new StickyThread(new ThreadsApi(http, ctx, call)).PublishAsync(request.Key, content, status, create, ct).ConfigureAwait(false) is { } o)
            {
                report.CommentId = o.Id;
                report.CommentCreated = o.Created;
                report.DuplicatesDeleted = o.Retired;
            }
        }
        catch (Exception ex) when (ex is AzureDevOpsApiException or HttpRequestException or System.Text.Json.JsonException
            || ex is TaskCanceledException && !ct.IsCancellationRequested)
        {
            report.Add(AzureDevOpsErrors.Describe(ex, "publishing the pull-request thread", ctx, call.LastAttempts));
        }
    }

    private bool UploadSummary(PublishRequest request)
    {
        var path = request.OutputDirectory is { Length: > 0 } dir ? Path.Combine(dir, SummaryFile) : null;
        if (path is null || !File.Exists(path))
        {
            return false;
        }

        log.WriteLine(LoggingCommands.UploadSummary(path));
        return true;
    }

    private void PublishTests(PublishRequest request)
    {
        if (request.OutputDirectory is { Length: > 0 } dir && Path.Combine(dir, JUnitFile) is var junit && File.Exists(junit))
        {
            log.WriteLine(LoggingCommands.PublishJUnit(junit, "PipelineGate " + request.Key.Value));
        }
    }

    // Our own problems on the run's page too, so a refused token is seen without reading the log.
    private void Finish(PublishReport report, string? token)
    {
        foreach (var d in report.Diagnostics)
        {
            var text = TokenRedaction.Redact(d.Hint is { Length: > 0 } h ? d.Message + " " + h : d.Message, token);
            log.WriteLine(d.Severity == DiagnosticSeverity.Info
                ? d.CodeText + ": " + text
                : LoggingCommands.LogIssue(d.Severity == DiagnosticSeverity.Error, text, code: d.CodeText));
        }
    }
}
