namespace PipelineGate.Measure.Statistics;

/// <summary>Settings of <see cref="ABComparison.Compare"/>. Immutable; use <c>with</c> to vary.</summary>
public sealed record ABOptions
{
    /// <summary>Seed used when none is given, so that identical inputs always give identical results.</summary>
    public const int DefaultSeed = 0x5EED;

    /// <summary>Default settings: 5% threshold, 95% confidence, 2000 resamples, <see cref="DefaultSeed"/>.</summary>
    public static ABOptions Default { get; } = new();

    /// <summary>
    /// Smallest relative change that counts, e.g. 0.05: a candidate must be estimated more than 5% slower,
    /// by a margin of one standard error, to be <see cref="Verdict.Slower"/>
    /// (rule on <see cref="ABComparison.Compare"/>). Must be ≥ 0.
    /// </summary>
    public double Threshold { get; init; } = 0.05;

    /// <summary>
    /// Confidence level of the bootstrap intervals; <c>1 − Confidence</c> is also the significance level of
    /// each one-sided Mann–Whitney test. Strictly between 0.5 and 1.
    /// </summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>
    /// Bootstrap resamples per group. Percentile-interval endpoints wobble by roughly
    /// ±1/√(resamples) in tail probability; 2000 keeps that below the other noise. Must be ≥ 100.
    /// </summary>
    public int BootstrapResamples { get; init; } = 2000;

    /// <summary>Seed of the bootstrap's pseudo-random generator; same inputs and seed give identical results on every platform.</summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>
    /// Samples per block when baseline and candidate were measured in alternating blocks
    /// (<c>LatencyEngine.MeasureInterleaved</c>): block i of the baseline ran next to block i of the
    /// candidate, which enables the block-paired method. 0 (default): samples are independent.
    /// </summary>
    public int BlockSize { get; init; }

    internal void Validate()
    {
        if (!(Threshold >= 0 && double.IsFinite(Threshold)))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "Threshold must be a finite number ≥ 0.");
        }

        if (!(Confidence is > 0.5 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "Confidence must be strictly between 0.5 and 1.");
        }

        if (BlockSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, "Block size must be ≥ 0.");
        }

        if (BootstrapResamples < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(BootstrapResamples), BootstrapResamples, "At least 100 bootstrap resamples are required.");
        }
    }
}
