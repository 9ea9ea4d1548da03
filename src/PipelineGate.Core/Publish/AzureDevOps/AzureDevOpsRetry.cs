using System.Net;
using PipelineGate.Publish.GitHub;

namespace PipelineGate.Publish.AzureDevOps;

/// <summary>
/// Runs one Azure DevOps call, retrying 5xx, 429, a dropped connection or a request timeout after the
/// delays of the shared <see cref="RetryOptions"/> (the GitHub publisher's), honouring Retry-After within
/// their bound; anything else, or the last failure, goes to the caller.
/// </summary>
internal sealed class AzureDevOpsRetry(RetryOptions options)
{
    public int LastAttempts { get; private set; }

    public async Task<T> Run<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            LastAttempts = attempt;
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt <= options.Delays.Count && IsTransient(ex, cancellationToken))
            {
                await options.Sleep(DelayFor(ex, options.Delays[attempt - 1]), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        AzureDevOpsApiException api => (int)api.Status >= 500 || api.Status == HttpStatusCode.TooManyRequests,
        HttpRequestException => true,
        TaskCanceledException => !cancellationToken.IsCancellationRequested, // a request timeout, not the user's cancel
        _ => false,
    };

    private TimeSpan DelayFor(Exception ex, TimeSpan planned)
    {
        var delay = ex is AzureDevOpsApiException { RetryAfter: { } r } && r > planned ? r : planned;
        return delay > options.MaxDelay ? options.MaxDelay : delay;
    }
}
