namespace PipelineGate.Measure.Latency;

/// <summary>
/// How long and how much to measure. A measurement stops at whichever budget runs out first,
/// time or samples, but never before <see cref="MinSamples"/> (a p99 needs enough samples to mean
/// anything: see SampleSummary's supported quantiles).
/// </summary>
public sealed record LatencyOptions
{
    /// <summary>Time budget for the timed phase (per model; an A/B run spends twice this).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public int MinSamples { get; init; } = 60;

    public int MaxSamples { get; init; } = 5000;

    /// <summary>Warm-up runs in chunks until two consecutive chunk medians agree within this fraction.</summary>
    public double WarmupTolerance { get; init; } = 0.05;

    public int WarmupChunk { get; init; } = 10;

    public TimeSpan WarmupMax { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A/B: runs of one model before switching to the other. Small blocks let drift hit both alike.</summary>
    public int BlockSize { get; init; } = 5;

    /// <summary>
    /// A/B: times an undecided comparison is extended by another <see cref="Duration"/> per model
    /// (see <c>LatencyEngine.Compare</c>). 0 measures exactly once.
    /// </summary>
    public int MaxExtensions { get; init; } = 2;

    public static LatencyOptions Default { get; } = new();

    /// <summary>Throws for values that cannot produce a measurement.</summary>
    public void Validate()
    {
        if (Duration <= TimeSpan.Zero || MinSamples < 1 || MaxSamples < MinSamples || WarmupChunk < 1 || BlockSize < 1 || WarmupTolerance <= 0 || MaxExtensions < 0)
        {
            throw new Diagnostics.PipelineGateException(Diagnostics.PgCode.ConfigInvalidValue,
                $"Latency options are inconsistent: duration {Duration.TotalSeconds}s, samples {MinSamples}..{MaxSamples}, warm-up chunk {WarmupChunk}, block {BlockSize}, extensions {MaxExtensions}.",
                hint: "Use a positive duration, 1 ≤ min samples ≤ max samples and extensions ≥ 0.");
        }
    }
}
