using System.Globalization;

namespace PipelineGate.Measure.Statistics;

/// <summary>
/// A sample quantile (Hyndman–Fan type 7) together with its distribution-free order-statistic
/// confidence interval. Immutable; produced by <see cref="Quantiles.Estimate"/>.
/// </summary>
public sealed class QuantileEstimate
{
    internal QuantileEstimate(
        double probability,
        double value,
        int sampleCount,
        int minimumSamples,
        ConfidenceInterval? interval,
        int lowerRank,
        int upperRank,
        double coverage)
    {
        Probability = probability;
        Value = value;
        SampleCount = sampleCount;
        MinimumSamples = minimumSamples;
        Interval = interval;
        LowerRank = lowerRank;
        UpperRank = upperRank;
        Coverage = coverage;
    }

    /// <summary>The quantile probability, e.g. 0.9 for p90.</summary>
    public double Probability { get; }

    /// <summary>Type-7 point estimate of the quantile.</summary>
    public double Value { get; }

    /// <summary>Number of samples the estimate was computed from.</summary>
    public int SampleCount { get; }

    /// <summary>
    /// Smallest sample count for which a confidence interval at the requested level exists
    /// (see <see cref="Quantiles.MinimumSamplesFor"/>).
    /// </summary>
    public int MinimumSamples { get; }

    /// <summary>
    /// Whether a confidence interval at the requested level could be formed, i.e.
    /// <see cref="SampleCount"/> ≥ <see cref="MinimumSamples"/>. When false the point estimate is
    /// still reported but must not be used for decisions: nothing bounds its error.
    /// </summary>
    public bool Supported => Interval is not null;

    /// <summary>The order-statistic interval <c>[x(LowerRank), x(UpperRank)]</c>; null when not <see cref="Supported"/>.</summary>
    public ConfidenceInterval? Interval { get; }

    /// <summary>1-based rank of the order statistic used as lower bound; 0 when not supported.</summary>
    public int LowerRank { get; }

    /// <summary>1-based rank of the order statistic used as upper bound; 0 when not supported.</summary>
    public int UpperRank { get; }

    /// <summary>
    /// Exact coverage probability of the interval for continuous data, <c>P(LowerRank ≤ B &lt; UpperRank)</c> with
    /// <c>B ~ Binomial(n, Probability)</c>; never below the requested level. 0 when not supported.
    /// </summary>
    public double Coverage { get; }

    /// <inheritdoc />
    public override string ToString() => Interval is { } ci
        ? string.Create(CultureInfo.InvariantCulture, $"q{Probability:G4}={Value:G6} {ci} (coverage {Coverage:F4}, n={SampleCount})")
        : string.Create(CultureInfo.InvariantCulture, $"q{Probability:G4}={Value:G6} unsupported (n={SampleCount} < {MinimumSamples})");
}
