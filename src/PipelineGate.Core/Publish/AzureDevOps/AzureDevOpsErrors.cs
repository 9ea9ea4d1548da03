using System.Globalization;
using System.Net;
using PipelineGate.Diagnostics;

namespace PipelineGate.Publish.AzureDevOps;

/// <summary>
/// Turns what Azure DevOps answered into a coded diagnostic naming the build identity's permission, the
/// repository and the pull request. Every text passes through <see cref="TokenRedaction.Redact"/>.
/// </summary>
internal static class AzureDevOpsErrors
{
    public static Diagnostic Describe(Exception ex, string operation, AzureDevOpsContext ctx, int attempts)
    {
        var status = ex is AzureDevOpsApiException api ? (int)api.Status : 0;
        var said = ex is AzureDevOpsApiException { ServerMessage: { Length: > 0 } m } ? ": " + m : string.Empty;
        var tries = attempts > 1 ? " after " + attempts.ToString(CultureInfo.InvariantCulture) + " attempts" : string.Empty;
        var permission = $"the build identity needs '{AzureDevOpsContext.Permission}' on the repository";
        var diagnostic = status switch
        {
            401 => new Diagnostic(PgCode.PublishUnauthorized, DiagnosticSeverity.Error,
                $"Azure DevOps rejected the token from {AzureDevOpsContext.TokenVariable} while {operation} on {ctx.Where} (401{said}); {permission}.",
                Hint: $"Map the job's token on the step ({AzureDevOpsContext.TokenMapping}) and grant the project's build service '{AzureDevOpsContext.Permission}' (Project settings > Repositories > Security)."),
            // A warning, not an error: a token without the permission (a fork build, say) must not fail the job.
            403 => new Diagnostic(PgCode.PublishUnauthorized, DiagnosticSeverity.Warning,
                $"Azure DevOps refused {operation} on {ctx.Where} (403{said}): {permission}.",
                Hint: $"Grant the project's build service (or the identity of the token in {AzureDevOpsContext.TokenVariable}) '{AzureDevOpsContext.Permission}' in Project settings > Repositories > Security." +
                      (ctx.IsFork ? " Builds of pull requests from forks get a restricted token unless the pipeline's fork settings allow more." : string.Empty)),
            404 => new Diagnostic(PgCode.PublishTargetNotFound, DiagnosticSeverity.Error,
                $"Azure DevOps answered 404 while {operation} on {ctx.Where}{said}: the repository or pull request does not exist, or the token cannot see it.",
                Hint: "Check --pr, SYSTEM_PULLREQUEST_PULLREQUESTID and BUILD_REPOSITORY_ID (they must name an Azure Repos Git repository of this collection)."),
            429 => new Diagnostic(PgCode.PublishRateLimited, DiagnosticSeverity.Error,
                $"Azure DevOps rate-limited {operation} on {ctx.Where}{tries} (429{said}).",
                Hint: "Re-run the job later; merge shard results and publish once (templates/azure-pipelines/jobs.yml)."),
            _ => new Diagnostic(PgCode.PublishFailed, DiagnosticSeverity.Error,
                $"{Capital(operation)} on {ctx.Where} failed{tries}: {(status > 0 ? Status(status) + said : ex.GetType().Name + ": " + ex.Message)}.",
                Hint: "Re-run the job; report.md, report.html and results.json in the output folder hold the same report."),
        };
        return TokenRedaction.Redacted(diagnostic, ctx.Token);
    }

    private static string Status(int status) =>
        status.ToString(CultureInfo.InvariantCulture) + (Enum.IsDefined(typeof(HttpStatusCode), status) ? " " + (HttpStatusCode)status : string.Empty);

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
