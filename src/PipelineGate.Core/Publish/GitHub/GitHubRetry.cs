using System.Globalization;
using System.Net;
using Octokit;

namespace PipelineGate.Publish.GitHub;

/// <summary>
/// Runs one GitHub call, retrying what is worth retrying (5xx, 429, secondary rate limit, a dropped
/// connection) after the configured delays; anything else, or the last failure, goes to the caller.
/// Octokit turns a 429 into a plain <see cref="ApiException"/>, so the status code is what decides.
/// </summary>
internal sealed class GitHubRetry(RetryOptions options) : BoundedRetry(options)
{
    internal static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        SecondaryRateLimitExceededException => true,
        RateLimitExceededException => false, // the primary limit resets within the hour: waiting in a CI job is no help
        ApiException api => (int)api.StatusCode >= 500 || api.StatusCode == (HttpStatusCode)429,
        HttpRequestException => true,
        TaskCanceledException => !cancellationToken.IsCancellationRequested, // a request timeout, not the user's cancel
        _ => false,
    };

    protected override bool Transient(Exception ex, CancellationToken cancellationToken) => IsTransient(ex, cancellationToken);

    protected override TimeSpan? RetryAfterOf(Exception ex) => RetryAfter(ex);

    // GitHub sends Retry-After (seconds) with 429 and secondary rate limits; honour it within the bound.
    internal static TimeSpan? RetryAfter(Exception ex)
    {
        if (ex is ApiException { HttpResponse.Headers: { } headers })
        {
            foreach (var (name, value) in headers)
            {
                if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return TimeSpan.FromSeconds(seconds);
                }
            }
        }

        return null;
    }
}
