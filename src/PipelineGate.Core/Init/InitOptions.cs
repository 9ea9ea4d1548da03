namespace PipelineGate.Init;

/// <summary>How init measures and how much headroom its budgets get.</summary>
public sealed record InitOptions
{
    /// <summary>Seconds of timed inferences per model and variant (short: init is run once, by hand or in a first PR).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Latency limits are the upper end of the measured p90's 95% interval times (1 + this).</summary>
    public double LatencyMargin { get; init; } = 1.0;

    /// <summary>Accuracy minimums are the lower end of the measured accuracy's 95% interval minus this many points (fraction).</summary>
    public double AccuracyMargin { get; init; } = 0.01;

    public required string ToolVersion { get; init; }

    /// <summary>Where built variants are cached while measuring.</summary>
    public required string WorkDirectory { get; init; }
}
