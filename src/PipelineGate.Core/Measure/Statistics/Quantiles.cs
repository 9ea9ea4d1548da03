namespace PipelineGate.Measure.Statistics;

/// <summary>
/// Sample quantiles and their distribution-free confidence intervals.
/// </summary>
/// <remarks>
/// <para>
/// <b>Point estimator: Hyndman–Fan type 7</b> (linear interpolation between the order statistics at
/// 0-based position <c>h = (n − 1)·p</c>). Chosen over Harrell–Davis because it is the default of R,
/// NumPy and spreadsheet <c>PERCENTILE.INC</c>, so every number in a report can be reproduced by hand;
/// it depends on only two adjacent order statistics, so a rare scheduler spike far out in the tail
/// does not leak into p90/p99 the way Harrell–Davis' weights over all order statistics let it; and it
/// is cheap inside a bootstrap loop. Harrell–Davis is somewhat more efficient for small smooth
/// samples, but at the n ≥ 100 a gate collects that gain is small, and the confidence interval
/// (not the point estimate) carries the uncertainty anyway.
/// </para>
/// <para>
/// <b>Confidence interval: order statistics with binomial coverage.</b> For i.i.d. samples from a
/// continuous distribution, the number <c>B</c> of samples below the true p-quantile is
/// <c>Binomial(n, p)</c>, so <c>P(x(l) ≤ ξp &lt; x(u)) = P(l ≤ B ≤ u − 1)</c> whatever the distribution.
/// We take the equal-tailed conservative pair: <c>l</c> is the largest rank with <c>P(B &lt; l) ≤ α/2</c>
/// and <c>u</c> the smallest with <c>P(B ≥ u) ≤ α/2</c>, where <c>α = 1 − confidence</c>. Coverage is
/// therefore at least the requested level (the exact value is reported). Assumes independent,
/// identically distributed samples; warm-up and drift violate that and must be handled upstream.
/// Ties (timer resolution) only make the closed interval more conservative.
/// </para>
/// </remarks>
public static class Quantiles
{
    /// <summary>The median of unsorted values (type 7 at p = 0.5: the mean of the two middle values for even n).</summary>
    public static double Median(ReadOnlySpan<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return Type7(sorted, 0.5);
    }

    /// <summary>
    /// Hyndman–Fan type-7 quantile of ascending <paramref name="sortedSamples"/>:
    /// <c>x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])</c> with <c>h = (n − 1)·p</c> (0-based indices).
    /// </summary>
    /// <param name="sortedSamples">Samples sorted ascending; must be non-empty.</param>
    /// <param name="probability">Quantile probability in [0, 1].</param>
    public static double Type7(ReadOnlySpan<double> sortedSamples, double probability)
    {
        if (sortedSamples.IsEmpty)
        {
            throw new ArgumentException("At least one sample is required.", nameof(sortedSamples));
        }

        if (!(probability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Probability must be in [0, 1].");
        }

        var h = (sortedSamples.Length - 1) * probability;
        var lo = (int)Math.Floor(h);
        if (lo >= sortedSamples.Length - 1)
        {
            return sortedSamples[^1];
        }

        return sortedSamples[lo] + ((h - lo) * (sortedSamples[lo + 1] - sortedSamples[lo]));
    }

    /// <summary>
    /// Type-7 point estimate plus the order-statistic confidence interval described on
    /// <see cref="Quantiles"/>. If <c>n &lt; MinimumSamplesFor(probability, confidence)</c> the result
    /// has <see cref="QuantileEstimate.Supported"/> = false and no interval.
    /// </summary>
    /// <param name="sortedSamples">Samples sorted ascending (checked); must be non-empty and finite.</param>
    /// <param name="probability">Quantile probability, strictly between 0 and 1.</param>
    /// <param name="confidence">Two-sided confidence level, strictly between 0 and 1 (typically 0.95).</param>
    public static QuantileEstimate Estimate(ReadOnlySpan<double> sortedSamples, double probability, double confidence = 0.95)
    {
        SampleGuard.RequireSorted(sortedSamples, nameof(sortedSamples));
        var minimum = MinimumSamplesFor(probability, confidence);
        var value = Type7(sortedSamples, probability);
        var n = sortedSamples.Length;
        if (n < minimum)
        {
            return new QuantileEstimate(probability, value, n, minimum, null, 0, 0, 0);
        }

        var halfAlpha = (1 - confidence) / 2;
        var pmf = BinomialPmf.Compute(n, probability);

        // l = largest rank with P(B ≤ l − 1) ≤ α/2; `below` ends as that probability.
        // Supported guarantees P(B = 0) ≤ α/2, so l ≥ 1.
        var lower = 0;
        var below = 0.0;
        while (below + pmf[lower] <= halfAlpha)
        {
            below += pmf[lower++];
        }

        // u = smallest rank with P(B ≥ u) ≤ α/2; `above` ends as that probability. Each tail is summed
        // from its own end, never as 1 − (the rest), which would cancel catastrophically.
        // Supported guarantees P(B = n) = pⁿ ≤ α/2, so u ≤ n.
        var upper = n + 1;
        var above = 0.0;
        while (above + pmf[upper - 1] <= halfAlpha)
        {
            above += pmf[--upper];
        }

        // MinimumSamplesFor decided support with Math.Pow; if the pmf walk rounds the other way at the
        // exact boundary, use the extreme order statistic rather than index outside the sample.
        if (lower == 0)
        {
            (lower, below) = (1, pmf[0]);
        }

        if (upper == n + 1)
        {
            (upper, above) = (n, pmf[n]);
        }

        var coverage = 1 - below - above;
        var interval = new ConfidenceInterval(sortedSamples[lower - 1], sortedSamples[upper - 1], confidence);
        return new QuantileEstimate(probability, value, n, minimum, interval, lower, upper, coverage);
    }

    /// <summary>
    /// Smallest sample count for which the equal-tailed order-statistic interval of the
    /// <paramref name="quantile"/> exists at <paramref name="confidence"/>: the bound <c>x(n)</c>
    /// must exceed the true quantile with probability ≥ 1 − α/2, i.e. <c>pⁿ ≤ α/2</c>, and symmetrically
    /// <c>(1 − p)ⁿ ≤ α/2</c> for <c>x(1)</c>. Example: p99 at 95% needs 368 samples (0.99³⁶⁸ ≈ 0.0248 ≤ 0.025,
    /// 0.99³⁶⁷ ≈ 0.0250 &gt; 0.025). Saturates at <see cref="int.MaxValue"/>.
    /// </summary>
    /// <param name="quantile">Quantile probability, strictly between 0 and 1.</param>
    /// <param name="confidence">Two-sided confidence level, strictly between 0 and 1.</param>
    public static int MinimumSamplesFor(double quantile, double confidence = 0.95)
    {
        if (!(quantile is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "Quantile must be strictly between 0 and 1.");
        }

        SampleGuard.RequireConfidence(confidence, nameof(confidence));
        var halfAlpha = (1 - confidence) / 2;
        return Math.Max(SmallestPowerAtMost(quantile, halfAlpha), SmallestPowerAtMost(1 - quantile, halfAlpha));
    }

    // Smallest n ≥ 1 with rⁿ ≤ target. The logarithm gives the answer up to rounding,
    // which the two loops then settle exactly with Math.Pow.
    private static int SmallestPowerAtMost(double r, double target)
    {
        var guess = Math.Ceiling(Math.Log(target) / Math.Log(r));
        if (guess >= int.MaxValue)
        {
            return int.MaxValue;
        }

        var n = Math.Max(1, (int)guess);
        while (n > 1 && Math.Pow(r, n - 1) <= target)
        {
            n--;
        }

        while (n < int.MaxValue && Math.Pow(r, n) > target)
        {
            n++;
        }

        return n;
    }
}
