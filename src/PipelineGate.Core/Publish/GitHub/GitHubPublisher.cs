using Octokit;
using Octokit.Internal;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Report;

namespace PipelineGate.Publish.GitHub;

/// <summary>
/// Publishes a verdict to GitHub: the job summary, a check run with annotations (or workflow-command
/// annotations when the token has no checks: write), and the sticky PR comment. Each part fails on
/// its own: a refused comment does not stop the summary, and nothing here changes the exit code.
/// </summary>
public sealed class GitHubPublisher(CiEnvironment environment, TextWriter log, RetryOptions? retry = null) : IPublisher
{
    private readonly RetryOptions _retry = retry ?? RetryOptions.Default;

    public string Name => "github";

    public async Task<PublishReport> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var report = new PublishReport();
        var ctx = GitHubContext.Read(environment, request.PullRequest);
        if (ctx is null)
        {
            report.Add(new Diagnostic(PgCode.PublishContextMissing, DiagnosticSeverity.Warning,
                "Publishing to GitHub needs GITHUB_REPOSITORY (owner/name), which is not set: this is not a GitHub Actions job. Nothing was published.",
                Hint: "Run inside GitHub Actions, or set GITHUB_REPOSITORY, GITHUB_API_URL and GITHUB_TOKEN; use --publish auto to publish only where a CI system is detected."));
            return report;
        }

        if (ctx.Token is { } token)
        {
            log.WriteLine(WorkflowCommands.AddMask(token));
        }

        var body = PullRequestComment.Build(request.Result, request.Key, request.Report);
        var minimal = PullRequestComment.Minimal(request.Result, request.Key, request.Report);
        report.SummaryWritten = JobSummary.Append(ctx.SummaryPath, body, minimal);
        var annotations = GateAnnotation.From(request.Result, request.RepositoryRoot);
        if (Unwritable(ctx) is { } why)
        {
            report.Add(why);
            report.AnnotationsPrinted = AnnotationPrinter.Print(annotations, log, request.Report.ArtifactName);
            Finish(report, ctx);
            return report;
        }

        var client = CreateClient(ctx, _retry.RequestTimeout);
        var call = new GitHubRetry(_retry);
        if (!await CheckRunAsync(request, ctx, client, call, annotations, report, cancellationToken).ConfigureAwait(false))
        {
            report.AnnotationsPrinted = AnnotationPrinter.Print(annotations, log, request.Report.ArtifactName);
        }

        await CommentAsync(request, ctx, client, call, body, minimal, report, cancellationToken).ConfigureAwait(false);
        Finish(report, ctx);
        return report;
    }

    /// <summary>
    /// The client on GITHUB_API_URL exactly as given. The two-argument GitHubClient constructor would
    /// append /api/v3 to any host but github.com, which breaks GitHub Enterprise URLs (they already end in
    /// /api/v3) and local test servers alike.
    /// </summary>
    public static GitHubClient CreateClient(GitHubContext ctx, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var credentials = new InMemoryCredentialStore(new Credentials(ctx.Token, AuthenticationType.Bearer));
        var client = new GitHubClient(new Connection(new ProductHeaderValue("PipelineGate"), ctx.ApiUrl, credentials));
        client.SetRequestTimeout(timeout);
        return client;
    }

    private static Diagnostic? Unwritable(GitHubContext ctx)
    {
        if (ctx.IsFork)
        {
            return new Diagnostic(PgCode.PublishReadOnlyToken, DiagnosticSeverity.Info,
                $"Pull request #{ctx.PullRequest} comes from a fork, whose GITHUB_TOKEN is read-only: the PR comment and the check run are skipped; the job summary and annotations below carry the verdict.",
                Hint: "To comment on fork pull requests, add the workflow_run publisher (templates/github/pipelinegate-publish.yml, docs/github.md).");
        }

        return ctx.Token is null
            ? new Diagnostic(PgCode.PublishTokenMissing, DiagnosticSeverity.Warning,
                $"No GitHub token in {GitHubContext.TokenSource}: the PR comment and the check run are skipped.",
                Hint: "Pass github-token to the Action, or set env GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} on the step.")
            : null;
    }

    private static async Task<bool> CheckRunAsync(PublishRequest request, GitHubContext ctx, IGitHubClient client, GitHubRetry call,
        IReadOnlyList<GateAnnotation> annotations, PublishReport report, CancellationToken ct)
    {
        if (ctx.HeadSha is null)
        {
            return false;
        }

        var summary = PullRequestComment.Build(request.Result, request.Key, request.Report, PullRequestComment.CheckRunSummaryLimit);
        var title = ReportText.Icon(request.Result.Summary.Outcome) + " " + ReportText.Counts(request.Result.Summary);
        try
        {
            report.CheckRunId = await new CheckRunPublisher(client, ctx, call).PublishAsync(request, title, summary, annotations, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var d = GitHubErrors.Describe(ex, "creating the check run", "checks: write", ctx, call.LastAttempts);
            report.Add(ex is ForbiddenException and not RateLimitExceededException and not SecondaryRateLimitExceededException
                ? d with { Severity = DiagnosticSeverity.Info, Message = d.Message + " The annotations are printed as workflow commands instead." }
                : d);
            return false;
        }
    }

    private async Task CommentAsync(PublishRequest request, GitHubContext ctx, IGitHubClient client, GitHubRetry call,
        string body, string minimal, PublishReport report, CancellationToken ct)
    {
        if (request.Comment == CommentMode.Never)
        {
            return;
        }

        if (ctx.PullRequest is null)
        {
            report.Add(new Diagnostic(PgCode.PublishNotInPullRequest, DiagnosticSeverity.Info,
                $"Not running for a pull request ({ctx.EventName ?? "unknown event"}): the PR comment is skipped; the check run, summary and annotations still go out.",
                Hint: "Pass --pr N to comment on a given pull request."));
            return;
        }

        using var http = new HttpClient { Timeout = _retry.RequestTimeout };
        var viewer = await ViewerIdentity.LoginAsync(http, ctx, ct).ConfigureAwait(false);
        var create = request.Comment == CommentMode.Always || request.Result.Summary.Outcome != CheckOutcome.Pass;
        var sticky = new StickyComment(client, ctx, call, viewer);
        try
        {
            Record(report, await sticky.PublishAsync(request.Key, body, create, ct).ConfigureAwait(false));
        }
        catch (Exception ex) when (GitHubErrors.IsBodyTooLong(ex))
        {
            report.Add(new Diagnostic(PgCode.PublishCommentTooLong, DiagnosticSeverity.Warning,
                $"GitHub refused the PR comment as too long ({body.Length} characters); posted the verdict alone instead.",
                Hint: $"The full report is in the job summary and the {request.Report.ArtifactName ?? "report"} artifact."));
            try
            {
                Record(report, await sticky.PublishAsync(request.Key, minimal, create, ct).ConfigureAwait(false));
            }
            catch (Exception again) when (again is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                report.Add(GitHubErrors.Describe(again, "posting the PR comment", "pull-requests: write", ctx, call.LastAttempts));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            report.Add(GitHubErrors.Describe(ex, "posting the PR comment", "pull-requests: write", ctx, call.LastAttempts));
        }
    }

    private static void Record(PublishReport report, (long Id, bool Created, int Deleted)? outcome)
    {
        if (outcome is { } o)
        {
            report.CommentId = o.Id;
            report.CommentCreated = o.Created;
            report.DuplicatesDeleted = o.Deleted;
        }
    }

    // Our own problems as annotations too, so that a refused token is visible on the run's page, not only in the log.
    private void Finish(PublishReport report, GitHubContext ctx)
    {
        foreach (var d in report.Diagnostics)
        {
            var command = d.Severity switch { DiagnosticSeverity.Error => "error", DiagnosticSeverity.Warning => "warning", _ => "notice" };
            var text = TokenRedaction.Redact(d.Hint is { Length: > 0 } h ? d.Message + " " + h : d.Message, ctx.Token);
            log.WriteLine(WorkflowCommands.Format(command, [("title", d.CodeText)], text));
        }
    }
}
