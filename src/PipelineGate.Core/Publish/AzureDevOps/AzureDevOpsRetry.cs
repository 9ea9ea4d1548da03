using System.Net;
using PipelineGate.Publish.GitHub;

namespace PipelineGate.Publish.AzureDevOps;

/// <summary>
/// Runs one Azure DevOps call, retrying 5xx, 429, a dropped connection or a request timeout after the
/// delays of the shared <see cref="RetryOptions"/> (the GitHub publisher's), honouring Retry-After within
/// their bound; anything else, or the last failure, goes to the caller.
/// </summary>
internal sealed class AzureDevOpsRetry(RetryOptions options) : BoundedRetry(options)
{
    internal static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        AzureDevOpsApiException api => (int)api.Status >= 500 || api.Status == HttpStatusCode.TooManyRequests,
        HttpRequestException => true,
        TaskCanceledException => !cancellationToken.IsCancellationRequested, // a request timeout, not the user's cancel
        _ => false,
    };

    protected override bool Transient(Exception ex, CancellationToken cancellationToken) => IsTransient(ex, cancellationToken);

    protected override TimeSpan? RetryAfterOf(Exception ex) => ex is AzureDevOpsApiException { RetryAfter: { } r } ? r : null;
}
