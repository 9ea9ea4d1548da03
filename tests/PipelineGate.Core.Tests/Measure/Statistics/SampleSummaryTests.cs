using PipelineGate.Measure.Statistics;
using Xunit;

namespace PipelineGate.Tests.Measure.Statistics;

public sealed class SampleSummaryTests
{
    [Fact]
    public void Small_sample_matches_hand_computation()
    {
        // Sorted: 1 1 2 3 4 5 6 9. Σ = 31; Σ(x − 3.875)² = 52.875.
        // |x − 3.5| sorted: .5 .5 1.5 1.5 2.5 2.5 2.5 5.5 → median 2.
        var summary = SampleSummary.Compute([3, 1, 4, 1, 5, 9, 2, 6]);

        Assert.Equal(8, summary.Count);
        Assert.Equal(3.875, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(52.875 / 7), summary.StandardDeviation, 12);
        Assert.Equal(1, summary.Min);
        Assert.Equal(9, summary.Max);
        Assert.Equal(2 * 1.4826, summary.Mad, 12);
        Assert.Equal(3.5, summary.Median.Value, 12);
        Assert.Same(summary.Median, summary.P50);

        // Binomial(8, ½): P(B ≤ 0) = 1/256 ≤ 0.025 < P(B ≤ 1) = 9/256 → ranks 1 and 8.
        Assert.Equal(new ConfidenceInterval(1, 9, 0.95), summary.Median.Interval);
        Assert.Equal(254.0 / 256, summary.Median.Coverage, 12);

        Assert.Equal(6.9, summary.P90.Value, 12);
        Assert.False(summary.P90.Supported);
        Assert.Equal(36, summary.P90.MinimumSamples);
        Assert.False(summary.P95.Supported);
        Assert.False(summary.P99.Supported);
        Assert.Equal(368, summary.P99.MinimumSamples);
    }

    [Fact]
    public void Median_interval_needs_six_samples_at_95_percent()
    {
        Assert.False(SampleSummary.Compute([1, 2, 3, 4, 5]).Median.Supported);
        Assert.True(SampleSummary.Compute([1, 2, 3, 4, 5, 6]).Median.Supported);
    }

    [Fact]
    public void Single_sample_has_zero_spread()
    {
        var summary = SampleSummary.Compute([4.2]);
        Assert.Equal(0, summary.StandardDeviation);
        Assert.Equal(0, summary.Mad);
        Assert.Equal(4.2, summary.Median.Value);
        Assert.False(summary.Median.Supported);
    }

    [Fact]
    public void Mad_estimates_sigma_for_normal_data_and_ignores_spikes()
    {
        var random = new Random(7);
        var samples = new double[4000];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = 10 + (2 * LatencyGenerator.StandardNormal(random));
        }

        var clean = SampleSummary.Compute(samples);
        Assert.InRange(clean.Mad, 1.9, 2.1);
        Assert.InRange(clean.StandardDeviation, 1.9, 2.1);

        for (var i = 0; i < samples.Length; i += 50)
        {
            samples[i] = 1000; // 2% scheduler spikes
        }

        var spiky = SampleSummary.Compute(samples);
        Assert.InRange(spiky.Mad, 1.9, 2.2);
        Assert.True(spiky.StandardDeviation > 100);
    }

    [Fact]
    public void Large_sample_supports_p99_and_intervals_bracket_estimates()
    {
        var samples = LatencyGenerator.Sample(new Random(11), 400, 1.0);
        var summary = SampleSummary.Compute(samples);

        foreach (var q in new[] { summary.Median, summary.P90, summary.P95, summary.P99 })
        {
            Assert.True(q.Supported, q.ToString());
            Assert.True(q.Interval!.Value.Contains(q.Value), q.ToString());
        }

        Assert.Equal(400, summary.P99.UpperRank); // p99 at n = 400 needs the sample maximum as upper bound.
    }

    [Fact]
    public void Input_is_not_modified_and_invalid_input_is_rejected()
    {
        double[] samples = [3, 1, 2];
        _ = SampleSummary.Compute(samples);
        Assert.Equal([3.0, 1.0, 2.0], samples);
        Assert.Throws<ArgumentException>(() => SampleSummary.Compute([]));
        Assert.Throws<ArgumentException>(() => SampleSummary.Compute([1, double.PositiveInfinity]));
    }
}
