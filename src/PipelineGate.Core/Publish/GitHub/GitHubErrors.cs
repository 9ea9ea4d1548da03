using System.Globalization;
using System.Net;
using Octokit;
using PipelineGate.Diagnostics;

namespace PipelineGate.Publish.GitHub;

/// <summary>
/// Turns what GitHub answered into a coded diagnostic that names the permission the token lacks and
/// where the token came from. Every text passes through <see cref="TokenRedaction.Redact"/>: a message GitHub or the
/// network stack built must never carry the token into a log.
/// </summary>
internal static class GitHubErrors
{
    public static Diagnostic Describe(Exception ex, string operation, string permission, GitHubContext ctx, int attempts)
    {
        var status = ex is ApiException api ? (int)api.StatusCode : 0;
        var said = ex is ApiException a2 && a2.ApiError?.Message is { Length: > 0 } m ? $": {m}" : string.Empty;
        var where = $"{ctx.FullName}{(ctx.PullRequest is { } pr ? " #" + pr.ToString(CultureInfo.InvariantCulture) : string.Empty)}";
        var tries = attempts > 1 ? $" after {attempts.ToString(CultureInfo.InvariantCulture)} attempts" : string.Empty;
        var diagnostic = ex switch
        {
            AuthorizationException => new Diagnostic(PgCode.PublishUnauthorized, DiagnosticSeverity.Error,
                $"GitHub rejected the token from {GitHubContext.TokenSource} while {operation} on {where} (401{said}).",
                Hint: "Pass a valid token; the default github-token is the job's GITHUB_TOKEN (secrets.GITHUB_TOKEN)."),
            SecondaryRateLimitExceededException or ApiException { StatusCode: (HttpStatusCode)429 } => new Diagnostic(PgCode.PublishRateLimited, DiagnosticSeverity.Error,
                $"GitHub rate-limited {operation} on {where}{tries} ({Status(status)}{said}).",
                Hint: "Re-run the job later; avoid many gates commenting at once (one job-level concurrency group per PR helps)."),
            RateLimitExceededException => new Diagnostic(PgCode.PublishRateLimited, DiagnosticSeverity.Error,
                $"The token from {GitHubContext.TokenSource} has used up its GitHub API rate limit while {operation} on {where} (403{said}).",
                Hint: "Re-run the job after the limit resets."),
            // A warning, not an error: a read-only token (fork, or permissions left out) must not fail the job.
            ForbiddenException => new Diagnostic(PgCode.PublishUnauthorized, DiagnosticSeverity.Warning,
                $"GitHub refused {operation} on {where} (403{said}): the token from {GitHubContext.TokenSource} lacks the '{permission}' permission.",
                Hint: $"Add 'permissions: {permission}' to the job. A pull request from a fork always gets a read-only token: publish from a workflow_run workflow instead (docs/github.md)."),
            NotFoundException => new Diagnostic(PgCode.PublishTargetNotFound, DiagnosticSeverity.Error,
                $"GitHub answered 404 while {operation} on {where}: the repository or pull request does not exist, or the token from {GitHubContext.TokenSource} cannot see it (it needs '{permission}').",
                Hint: "Check --pr and GITHUB_REPOSITORY, and the token's repository access and permissions."),
            _ => new Diagnostic(PgCode.PublishFailed, DiagnosticSeverity.Error,
                $"{Capital(operation)} on {where} failed{tries}: {(status > 0 ? Status(status) + said : ex.GetType().Name + ": " + ex.Message)}.",
                Hint: "Re-run the job; report.md, report.html and results.json in the output folder hold the same report."),
        };
        return TokenRedaction.Redacted(diagnostic, ctx.Token);
    }

    public static bool IsBodyTooLong(Exception ex) =>
        ex is ApiException { StatusCode: HttpStatusCode.UnprocessableEntity } api
        && (api.ApiError?.Message?.Contains("too long", StringComparison.OrdinalIgnoreCase) == true
            || api.ApiError?.Errors?.Any(static e => e.Message?.Contains("too long", StringComparison.OrdinalIgnoreCase) == true) == true);

    private static string Status(int status) => status switch
    {
        0 => "no response",
        _ => status.ToString(CultureInfo.InvariantCulture) + (Enum.IsDefined(typeof(HttpStatusCode), status) ? " " + (HttpStatusCode)status : string.Empty),
    };

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
