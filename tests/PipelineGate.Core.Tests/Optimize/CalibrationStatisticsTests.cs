using PipelineGate.Optimize.Quantization;
using Xunit;

namespace PipelineGate.Tests.Optimize;

/// <summary>Calibration statistics (running min/max, |x| histogram with re-binning, percentile and KL thresholds) against hand-computed values.</summary>
public sealed class CalibrationStatisticsTests
{
    [Fact]
    public void MinMax_is_the_running_range_over_batches_and_ignores_non_finite_values()
    {
        var stats = new ActivationStatistics(["t"], CalibrationMethod.MinMax);
        stats.Fold("t", [1f, -2f, 3f]);
        stats.Fold("t", [0.5f, 7f, float.NaN, float.PositiveInfinity]);

        Assert.Equal((-2f, 7f), stats.Range("t"));
        Assert.Equal(2, stats.NonFinite("t"));
    }

    [Fact]
    public void Histogram_range_grows_by_powers_of_two_merging_whole_bins()
    {
        var h = new TensorHistogram(8);
        h.Fold([0.5f, -1f]); // top 1, width 0.125: |0.5| → bin 4, |−1| → last bin (7)
        Assert.Equal(1.0, h.Top);
        Assert.Equal(new long[] { 0, 0, 0, 0, 1, 0, 0, 1 }, h.Counts.ToArray());

        h.Fold([3f]); // top doubles twice to 4 (width 0.5): old bins 4..7 merge into bin 1; 3 → bin 6
        Assert.Equal(4.0, h.Top);
        Assert.Equal(new long[] { 0, 2, 0, 0, 0, 0, 1, 0 }, h.Counts.ToArray());
        Assert.Equal((-1f, 3f), (h.Min, h.Max));
        Assert.Equal(3, h.Total);
    }

    [Fact]
    public void Zeros_before_the_first_nonzero_value_stay_in_bin_zero()
    {
        var h = new TensorHistogram(8);
        h.Fold([0f, 0f]);
        h.Fold([2f]);

        Assert.Equal(2.0, h.Top);
        Assert.Equal(new long[] { 2, 0, 0, 0, 0, 0, 0, 1 }, h.Counts.ToArray());
    }

    [Theory]
    [InlineData(99.0, 2.5758)] // two-sided normal quantiles: P(|x| ≤ 2.5758) = 0.99
    [InlineData(99.9, 3.2905)]
    public void Percentile_of_a_standard_normal_matches_the_table(double percentile, double expected)
    {
        var h = new TensorHistogram();
        var random = new Random(7);
        var batch = new float[100_000];
        for (var b = 0; b < 20; b++)
        {
            for (var i = 0; i < batch.Length; i += 2)
            {
                // Box–Muller
                var r = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
                var theta = 2 * Math.PI * random.NextDouble();
                batch[i] = (float)(r * Math.Cos(theta));
                batch[i + 1] = (float)(r * Math.Sin(theta));
            }

            h.Fold(batch);
        }

        var threshold = HistogramThresholds.Percentile(h, percentile);

        Assert.InRange(threshold, expected - 0.02, expected + 0.02); // sampling error (2M samples) plus one bin (~0.003)
    }

    [Fact]
    public void Percentile_range_is_clipped_to_the_observed_range_and_cuts_rare_outliers()
    {
        // 1,000,000 values spread over [0, 1) and 10 outliers at 100: the 99.999th percentile of |x| falls at the end of the bulk.
        var stats = new ActivationStatistics(["t"], CalibrationMethod.Percentile);
        var bulk = Enumerable.Range(0, 1_000_000).Select(static i => i / 1_000_000f).ToArray();
        stats.Fold("t", bulk);
        stats.Fold("t", Enumerable.Repeat(100f, 10).ToArray());

        var (min, max) = stats.Range("t");

        Assert.Equal(0f, min); // −threshold is below the observed minimum 0
        Assert.InRange(max, 0.99f, 1.07f); // the bulk's end, within one bin (width 100·1.28/2048 ≈ 0.0625)
    }

    [Fact]
    public void Entropy_threshold_drops_rare_outliers_and_keeps_the_bulk()
    {
        // |x| of 1,000,000 normal samples with σ = 100 bins (expected counts per bin), and 5 outliers in bin 2000.
        var counts = new long[2048];
        for (var b = 0; b < counts.Length; b++)
        {
            counts[b] = (long)Math.Round(1_000_000 * (Erfc(b / 100.0 / Math.Sqrt(2)) - Erfc((b + 1) / 100.0 / Math.Sqrt(2))));
        }

        counts[2000] += 5;
        var h = TensorHistogram.FromCounts(counts, top: 2048);

        var threshold = HistogramThresholds.Entropy(h);

        // The bulk's tail is kept (beyond 4σ) and the outliers are clipped (far below bin 2000).
        Assert.InRange(threshold, 400, 500);
        Assert.True(HistogramThresholds.Divergence(counts, (int)threshold, counts.AsSpan((int)threshold).ToArray().Sum()) < HistogramThresholds.Divergence(counts, 2001, 0));
    }

    [Fact]
    public void KL_divergence_matches_a_hand_computed_value()
    {
        // Uniform 1000 per bin over bins 0..511, 5 outliers beyond. At i = 512, P is 1000 per bin with the outliers
        // added to bin 511; Q spreads each group of 4 bins evenly (1000 each). KL = Σ p·ln(p/q).
        var counts = new long[2048];
        Array.Fill(counts, 1000, 0, 512);
        counts[2000] = 5;

        var kl = HistogramThresholds.Divergence(counts, 512, 5);

        var pn = 1000.0 / 512005;
        var expected = (511 * pn * Math.Log(pn / (1000.0 / 512000))) + (1005.0 / 512005 * Math.Log(1005.0 / 512005 / (1000.0 / 512000)));
        Assert.Equal(expected, kl, 12);
    }

    [Fact]
    public void Entropy_keeps_the_whole_range_when_128_levels_already_cover_it()
    {
        var counts = new long[2048];
        Array.Fill(counts, 10, 0, 100);

        Assert.Equal(100.0, HistogramThresholds.Entropy(TensorHistogram.FromCounts(counts, top: 2048)));
    }

    [Fact]
    public void Entropy_range_is_symmetric_clipping_intersected_with_the_observed_range()
    {
        var stats = new ActivationStatistics(["t"], CalibrationMethod.Entropy);
        var random = new Random(3);
        var values = Enumerable.Range(0, 200_000).Select(_ => (float)(random.NextDouble() * 2) - 1).ToArray();
        values[0] = -50f; // one outlier
        stats.Fold("t", values);

        var (min, max) = stats.Range("t");

        // The search never keeps fewer than 128 of the 2048 bins: the threshold is at least 50 · 128 / 2048 = 3.125,
        // so the outlier at −50 is clipped there and the maximum (below the threshold) is the observed one.
        Assert.InRange(min, -3.2f, -0.9f);
        Assert.InRange(max, 0.9f, 1.0f);
    }

    /// <summary>erfc(x) for x ≥ 0: the Maclaurin series of erf below 2.5, the continued fraction above (both accurate to ~1e-13).</summary>
    private static double Erfc(double x)
    {
        if (x < 2.5)
        {
            double sum = x, term = x;
            for (var n = 1; n < 100; n++)
            {
                term *= -x * x / n;
                sum += term / ((2 * n) + 1);
            }

            return 1 - (2 / Math.Sqrt(Math.PI) * sum);
        }

        var t = 0.0;
        for (var k = 80; k >= 1; k--)
        {
            t = k / 2.0 / (x + t);
        }

        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / (x + t);
    }
}
