using PipelineGate.Measure.Statistics;
using Xunit;

namespace PipelineGate.Tests.Measure.Statistics;

public sealed class QuantilesTests
{
    private static readonly double[] OneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    [Theory]
    // h = (n − 1)·p = 9p: x[⌊h⌋] + frac(h)·(x[⌊h⌋+1] − x[⌊h⌋]) with 0-based x[i] = i + 1.
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 5.5)]   // h = 4.5
    [InlineData(0.9, 9.1)]   // h = 8.1
    [InlineData(0.95, 9.55)] // h = 8.55
    [InlineData(0.99, 9.91)] // h = 8.91
    [InlineData(1.0, 10.0)]
    public void Type7_matches_hand_computed_values(double p, double expected)
    {
        Assert.Equal(expected, Quantiles.Type7(OneToTen, p), 12);
    }

    [Fact]
    public void Type7_interpolates_uneven_gaps()
    {
        double[] sorted = [1, 1, 2, 3, 4, 5, 6, 9];
        Assert.Equal(3.5, Quantiles.Type7(sorted, 0.5), 12); // h = 3.5 → 3 + 0.5·1
        Assert.Equal(6.9, Quantiles.Type7(sorted, 0.9), 12); // h = 6.3 → 6 + 0.3·3
    }

    [Fact]
    public void Median_interval_for_ten_samples_uses_ranks_2_and_9()
    {
        // Binomial(10, ½): P(B ≤ 1) = 11/1024 ≤ 0.025 < P(B ≤ 2) = 56/1024, so l = 2; by symmetry u = 9.
        // Coverage = 1 − 2·11/1024 = 1002/1024.
        var median = Quantiles.Estimate(OneToTen, 0.5);

        Assert.True(median.Supported);
        Assert.Equal(5.5, median.Value, 12);
        Assert.Equal(2, median.LowerRank);
        Assert.Equal(9, median.UpperRank);
        Assert.Equal(new ConfidenceInterval(2, 9, 0.95), median.Interval);
        Assert.Equal(1002.0 / 1024, median.Coverage, 12);
    }

    [Fact]
    public void P90_interval_for_forty_samples_matches_binomial_sums()
    {
        // Binomial(40, 0.9): P(B ≤ 31) ≈ 0.01550 ≤ 0.025 < P(B ≤ 32) ≈ 0.04190 → l = 32;
        // P(B ≥ 40) = 0.9⁴⁰ ≈ 0.01478 ≤ 0.025 < P(B ≥ 39) ≈ 0.08047 → u = 40.
        var sorted = Enumerable.Range(1, 40).Select(i => (double)i).ToArray();
        var p90 = Quantiles.Estimate(sorted, 0.9);

        Assert.Equal(32, p90.LowerRank);
        Assert.Equal(40, p90.UpperRank);
        Assert.Equal(1 - 0.01549530541444446 - 0.014780882941434592, p90.Coverage, 10);
        Assert.Equal(new ConfidenceInterval(32, 40, 0.95), p90.Interval);
    }

    [Theory]
    [InlineData(0.99, 368)] // 0.99³⁶⁷ ≈ 0.025010 > 0.025 ≥ 0.99³⁶⁸ ≈ 0.024760
    [InlineData(0.95, 72)]  // 0.95⁷¹ ≈ 0.02620 > 0.025 ≥ 0.95⁷² ≈ 0.02489
    [InlineData(0.90, 36)]  // 0.9³⁵ ≈ 0.02503 > 0.025 ≥ 0.9³⁶ ≈ 0.02253
    [InlineData(0.50, 6)]   // 0.5⁵ = 0.03125 > 0.025 ≥ 0.5⁶ = 0.015625
    [InlineData(0.01, 368)] // symmetric in p ↔ 1 − p
    public void MinimumSamplesFor_is_smallest_n_with_both_tails_within_half_alpha(double quantile, int expected)
    {
        Assert.Equal(expected, Quantiles.MinimumSamplesFor(quantile, 0.95));
    }

    [Fact]
    public void MinimumSamplesFor_grows_with_confidence()
    {
        // 0.99ⁿ ≤ 0.005 ⇔ n ≥ ln 0.005 / ln 0.99 ≈ 527.2.
        Assert.Equal(528, Quantiles.MinimumSamplesFor(0.99, 0.99));
    }

    [Fact]
    public void Quantile_without_enough_samples_is_unsupported_but_keeps_point_estimate()
    {
        var sorted = Enumerable.Range(1, 35).Select(i => (double)i).ToArray();

        var p90 = Quantiles.Estimate(sorted, 0.9);
        Assert.False(p90.Supported);
        Assert.Null(p90.Interval);
        Assert.Equal(36, p90.MinimumSamples);
        Assert.Equal(31.6, p90.Value, 12); // h = 34·0.9 = 30.6 → 31 + 0.6

        var enough = Quantiles.Estimate([.. sorted, 36], 0.9);
        Assert.True(enough.Supported);
        Assert.Equal(36, enough.UpperRank);
    }

    [Fact]
    public void Interval_coverage_is_at_least_requested_for_many_sizes()
    {
        foreach (var p in new[] { 0.5, 0.9, 0.95, 0.99 })
        {
            for (var n = Quantiles.MinimumSamplesFor(p, 0.95); n < 1000; n += 37)
            {
                var sorted = Enumerable.Range(1, n).Select(i => (double)i).ToArray();
                var q = Quantiles.Estimate(sorted, p);
                Assert.True(q.Supported, $"p={p} n={n}");
                Assert.InRange(q.Coverage, 0.95, 1.0);
                Assert.True(q.LowerRank < q.UpperRank);
                Assert.True(q.Interval!.Value.Contains(q.Value), $"p={p} n={n}");
            }
        }
    }

    [Fact]
    public void Estimate_rejects_unsorted_or_non_finite_input()
    {
        Assert.Throws<ArgumentException>(() => Quantiles.Estimate([2.0, 1.0], 0.5));
        Assert.Throws<ArgumentException>(() => Quantiles.Estimate([1.0, double.NaN], 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.Estimate([1.0, 2.0], 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.MinimumSamplesFor(0.5, 1.0));
    }
}
