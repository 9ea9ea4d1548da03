using PipelineGate.Measure.Statistics;
using Xunit;

namespace PipelineGate.Tests.Measure.Statistics;

public sealed class ABComparisonTests
{
    private static readonly ABOptions Fast = ABOptions.Default with { BootstrapResamples = 500 };

    [Fact]
    public void Results_are_reproducible_for_a_seed()
    {
        var random = new Random(1);
        var baseline = LatencyGenerator.Sample(random, 300, 1.0);
        var candidate = LatencyGenerator.Sample(random, 300, 1.04);

        var first = ABComparison.Compare(baseline, candidate, Fast);
        var second = ABComparison.Compare(baseline, candidate, Fast);
        Assert.Equal(first.MedianRatioInterval, second.MedianRatioInterval);
        Assert.Equal(first.P90RatioInterval, second.P90RatioInterval);
        Assert.Equal(first.ToString(), second.ToString());

        var otherSeed = ABComparison.Compare(baseline, candidate, Fast with { Seed = 99 });
        Assert.NotEqual(first.MedianRatioInterval, otherSeed.MedianRatioInterval);
        Assert.Equal(first.MedianRatio, otherSeed.MedianRatio); // point estimates do not depend on the seed
    }

    [Fact]
    public void Point_estimates_match_hand_computation()
    {
        double[] baseline = [1, 2, 3];
        double[] candidate = [2, 4, 6];

        var result = ABComparison.Compare(baseline, candidate, Fast);

        Assert.Equal(2, result.BaselineMedian);
        Assert.Equal(4, result.CandidateMedian);
        Assert.Equal(2, result.MedianRatio, 12);
        Assert.Equal(5.6 / 2.8, result.P90Ratio, 12); // type-7 p90: 2.8 and 5.6
        // Differences candidate − baseline: −1 0 1 1 2 3 3 4 5 → median 2.
        Assert.Equal(2, result.HodgesLehmannShift);
        Assert.Equal(3, result.BaselineCount);
    }

    [Fact]
    public void Hodges_Lehmann_matches_brute_force_median_of_differences()
    {
        var random = new Random(5);
        foreach (var (n, m) in new[] { (2, 2), (7, 4), (31, 40), (300, 257) })
        {
            var baseline = LatencyGenerator.Sample(random, n, 1.0);
            var candidate = LatencyGenerator.Sample(random, m, 1.1);
            var differences = candidate.SelectMany(c => baseline.Select(b => c - b)).Order().ToArray();
            var k = differences.Length;
            var expected = (differences[(k - 1) / 2] + differences[k / 2]) / 2;

            Assert.Equal(expected, ABComparison.Compare(baseline, candidate, Fast).HodgesLehmannShift);
        }
    }

    [Fact]
    public void Swapping_groups_swaps_the_verdict()
    {
        var random = new Random(3);
        var slow = LatencyGenerator.Sample(random, 300, 1.2);
        var fast = LatencyGenerator.Sample(random, 300, 1.0);

        var forward = ABComparison.Compare(fast, slow, Fast);
        var backward = ABComparison.Compare(slow, fast, Fast);

        Assert.Equal(Verdict.Slower, forward.Verdict);
        Assert.Equal(Verdict.Faster, backward.Verdict);
        Assert.Equal(1 / forward.MedianRatio, backward.MedianRatio, 12);
        Assert.Equal(forward.PValueSlower, backward.PValueFaster, 12);
        Assert.False(forward.InNoiseBand);
    }

    [Fact]
    public void Significant_change_below_threshold_is_in_noise_band()
    {
        // A real 3% slowdown measured very precisely: significant, but below the 5% bar.
        var random = new Random(4);
        var baseline = LatencyGenerator.Sample(random, 4000, 1.0, sigma: 0.05);
        var candidate = LatencyGenerator.Sample(random, 4000, 1.03, sigma: 0.05);

        var result = ABComparison.Compare(baseline, candidate, Fast);

        Assert.Equal(Verdict.Same, result.Verdict);
        Assert.True(result.InNoiseBand);
        Assert.True(result.PValueSlower < 1e-6);
        Assert.True(result.MedianRatioInterval.Lower > 1);

        var zeroThreshold = ABComparison.Compare(baseline, candidate, Fast with { Threshold = 0 });
        Assert.Equal(Verdict.Slower, zeroThreshold.Verdict);
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        double[] ok = [1, 2, 3];
        Assert.Throws<ArgumentException>(() => ABComparison.Compare([1], ok));
        Assert.Throws<ArgumentException>(() => ABComparison.Compare(ok, [1, 0]));
        Assert.Throws<ArgumentException>(() => ABComparison.Compare(ok, [1, double.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ABComparison.Compare(ok, ok, Fast with { Threshold = -0.1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ABComparison.Compare(ok, ok, Fast with { Confidence = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ABComparison.Compare(ok, ok, Fast with { BootstrapResamples = 10 }));
    }

    [Fact]
    public void Inputs_are_not_modified()
    {
        double[] baseline = [3, 1, 2];
        double[] candidate = [6, 4, 5];
        _ = ABComparison.Compare(baseline, candidate, Fast);
        Assert.Equal([3.0, 1.0, 2.0], baseline);
        Assert.Equal([6.0, 4.0, 5.0], candidate);
    }
}
