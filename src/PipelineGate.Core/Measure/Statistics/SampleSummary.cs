using System.Text.Json.Serialization;

namespace PipelineGate.Measure.Statistics;

/// <summary>
/// Descriptive statistics of one latency series (milliseconds): moments, robust spread, and the
/// median/p50/p90/p95/p99 with distribution-free confidence intervals. Immutable.
/// </summary>
/// <remarks>
/// Quantiles use the Hyndman–Fan type-7 estimator and order-statistic intervals described on
/// <see cref="Quantiles"/>; both assume independent, identically distributed samples (discard warm-up
/// first). Mean and standard deviation are reported for completeness but are not robust: one
/// scheduler spike moves them, so gates should use the median and <see cref="Mad"/>.
/// </remarks>
public sealed class SampleSummary
{
    /// <summary>
    /// Factor making the MAD a consistent estimator of σ for normal data: 1/Φ⁻¹(3/4) ≈ 1.4826.
    /// </summary>
    public const double MadNormalConsistency = 1.4826;

    private SampleSummary(
        int count,
        double mean,
        double standardDeviation,
        double min,
        double max,
        double mad,
        double confidence,
        QuantileEstimate median,
        QuantileEstimate p90,
        QuantileEstimate p95,
        QuantileEstimate p99)
    {
        Count = count;
        Mean = mean;
        StandardDeviation = standardDeviation;
        Min = min;
        Max = max;
        Mad = mad;
        Confidence = confidence;
        Median = median;
        P90 = p90;
        P95 = p95;
        P99 = p99;
    }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Arithmetic mean.</summary>
    public double Mean { get; }

    /// <summary>Sample standard deviation (n − 1 denominator); 0 for a single sample.</summary>
    public double StandardDeviation { get; }

    /// <summary>Smallest sample.</summary>
    public double Min { get; }

    /// <summary>Largest sample.</summary>
    public double Max { get; }

    /// <summary>
    /// Median absolute deviation from the median, multiplied by <see cref="MadNormalConsistency"/>
    /// (1.4826) so that it estimates the standard deviation when the data are normal, while staying
    /// robust to up to 50% outliers.
    /// </summary>
    public double Mad { get; }

    /// <summary>Confidence level used for every quantile interval.</summary>
    public double Confidence { get; }

    /// <summary>Median (type-7 p50) with its order-statistic confidence interval.</summary>
    public QuantileEstimate Median { get; }

    /// <summary>Alias of <see cref="Median"/>.</summary>
    [JsonIgnore] // Serialised once, as Median.
    public QuantileEstimate P50 => Median;

    /// <summary>90th percentile; see <see cref="QuantileEstimate.Supported"/> for small samples.</summary>
    public QuantileEstimate P90 { get; }

    /// <summary>95th percentile; needs ≥ 72 samples for a 95% interval.</summary>
    public QuantileEstimate P95 { get; }

    /// <summary>99th percentile; needs ≥ 368 samples for a 95% interval.</summary>
    public QuantileEstimate P99 { get; }

    /// <summary>Summarises <paramref name="samples"/> (not modified; any order).</summary>
    /// <param name="samples">Latencies in milliseconds; at least one, all finite.</param>
    /// <param name="confidence">Two-sided confidence level for the quantile intervals.</param>
    public static SampleSummary Compute(ReadOnlySpan<double> samples, double confidence = 0.95)
    {
        SampleGuard.RequireFinite(samples, 1, nameof(samples));
        SampleGuard.RequireConfidence(confidence, nameof(confidence));

        var sorted = samples.ToArray();
        Array.Sort(sorted);
        var n = sorted.Length;

        // Two passes: subtracting the mean first avoids the cancellation of the sum-of-squares formula.
        var mean = 0.0;
        foreach (var x in sorted)
        {
            mean += x;
        }

        mean /= n;
        var squares = 0.0;
        foreach (var x in sorted)
        {
            squares += (x - mean) * (x - mean);
        }

        var sd = n > 1 ? Math.Sqrt(squares / (n - 1)) : 0.0;

        var median = Quantiles.Estimate(sorted, 0.5, confidence);
        var deviations = new double[n];
        for (var i = 0; i < n; i++)
        {
            deviations[i] = Math.Abs(sorted[i] - median.Value);
        }

        Array.Sort(deviations);
        var mad = MadNormalConsistency * Quantiles.Type7(deviations, 0.5);

        return new SampleSummary(
            n,
            mean,
            sd,
            sorted[0],
            sorted[^1],
            mad,
            confidence,
            median,
            Quantiles.Estimate(sorted, 0.90, confidence),
            Quantiles.Estimate(sorted, 0.95, confidence),
            Quantiles.Estimate(sorted, 0.99, confidence));
    }
}
