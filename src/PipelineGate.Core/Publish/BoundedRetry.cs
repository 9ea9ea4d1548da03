using PipelineGate.Publish.GitHub;

namespace PipelineGate.Publish;

/// <summary>
/// Runs one call to a CI platform, retrying what the platform's subclass calls transient after the delays
/// of <see cref="RetryOptions"/>, each stretched to the server's Retry-After within
/// <see cref="RetryOptions.MaxDelay"/>; anything else, or the last failure, goes to the caller. Bounded:
/// at most one attempt more than there are delays, so a job never hangs on a platform that keeps failing.
/// </summary>
internal abstract class BoundedRetry(RetryOptions options)
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
            catch (Exception ex) when (attempt <= options.Delays.Count && Transient(ex, cancellationToken))
            {
                await options.Sleep(DelayFor(ex, options.Delays[attempt - 1]), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task Run(Func<Task> call, CancellationToken cancellationToken) =>
        Run(async () => { await call().ConfigureAwait(false); return true; }, cancellationToken);

    /// <summary>Whether <paramref name="ex"/> is worth another attempt on this platform.</summary>
    protected abstract bool Transient(Exception ex, CancellationToken cancellationToken);

    /// <summary>The server's Retry-After carried by <paramref name="ex"/>, if any.</summary>
    protected abstract TimeSpan? RetryAfterOf(Exception ex);

    private TimeSpan DelayFor(Exception ex, TimeSpan planned)
    {
        var delay = RetryAfterOf(ex) is { } r && r > planned ? r : planned;
        return delay > options.MaxDelay ? options.MaxDelay : delay;
    }
}
