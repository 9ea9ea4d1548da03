namespace PipelineGate.Publish.GitHub;

/// <summary>
/// How long to wait before each retry of a call GitHub answered with 5xx, 429 or a secondary rate
/// limit. Bounded: after the last delay the error is reported, and the gate's job goes on. Tests pass
/// zero delays and record the sleeps instead of waiting.
/// </summary>
public sealed record RetryOptions
{
    public static RetryOptions Default { get; } = new();

    /// <summary>The variable that overrides the delays: milliseconds, comma-separated ("0,0,0" retries at once).</summary>
    public const string DelaysVariable = "PIPELINEGATE_RETRY_DELAYS_MS";

    /// <summary>The default, or the delays given in <see cref="DelaysVariable"/> when it parses.</summary>
    public static RetryOptions From(CiEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.Get(DelaysVariable) is not { } text)
        {
            return Default;
        }

        var delays = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms))
            {
                return Default;
            }

            delays.Add(TimeSpan.FromMilliseconds(ms));
        }

        return Default with { Delays = delays };
    }

    public IReadOnlyList<TimeSpan> Delays { get; init; } = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(20)];

    /// <summary>A Retry-After longer than this is cut to it: a CI job should not sleep for an hour.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    public Func<TimeSpan, CancellationToken, Task> Sleep { get; init; } = Task.Delay;

    /// <summary>Per-request timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
