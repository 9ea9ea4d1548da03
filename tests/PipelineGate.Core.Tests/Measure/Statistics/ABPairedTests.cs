using PipelineGate.Measure.Statistics;
using Xunit;

namespace PipelineGate.Tests.Measure.Statistics;

/// <summary>The block-paired method: samples from interleaved blocks, block i of each group adjacent in time.</summary>
public sealed class ABPairedTests
{
    private static readonly ABOptions Paired = ABOptions.Default with { BootstrapResamples = 1000, BlockSize = 5 };

    /// <summary>
    /// Interleaved samples: every block pair shares a load factor (a burst from another process slows both
    /// models alike, lognormal σ = <paramref name="loadSigma"/>), and each sample has its own noise.
    /// </summary>
    private static (double[] Baseline, double[] Candidate) Interleaved(Random random, int pairs, double factor, double loadSigma = 0.3, int blockSize = 5)
    {
        var a = new double[pairs * blockSize];
        var b = new double[pairs * blockSize];
        for (var p = 0; p < pairs; p++)
        {
            var load = Math.Exp(loadSigma * LatencyGenerator.StandardNormal(random));
            for (var j = 0; j < blockSize; j++)
            {
                a[(p * blockSize) + j] = 10 * load * Math.Exp(0.05 * LatencyGenerator.StandardNormal(random));
                b[(p * blockSize) + j] = 10 * factor * load * Math.Exp(0.05 * LatencyGenerator.StandardNormal(random));
            }
        }

        return (a, b);
    }

    [Fact]
    public void Ratio_and_sign_test_match_hand_computation()
    {
        // 10 pairs of blocks of 2; every candidate block mean is exactly 1.1 × its baseline block's.
        var baseline = Enumerable.Range(0, 20).Select(static i => 10.0 + (i / 2)).ToArray();
        var candidate = baseline.Select(static x => x * 1.1).ToArray();

        var r = ABComparison.Compare(baseline, candidate, Paired with { BlockSize = 2 });

        Assert.Equal(ComparisonMethod.BlockPaired, r.Method);
        Assert.Equal(10, r.Pairs);
        Assert.Equal(1.1, r.MedianRatio, 12);
        Assert.Equal(1.1, r.RatioOfMedians, 12);
        Assert.Equal(Math.Pow(0.5, 10), r.PValueSlower, 12); // all 10 signs positive
        Assert.Equal(1, r.PValueFaster, 12);
        Assert.Equal("sign test over 10 block pairs", r.TestName);
    }

    [Fact]
    public void Sign_test_counts_only_nonzero_differences()
    {
        // 9 pairs of single samples: 6 slower, 2 faster, 1 tie → n = 8, P(X ≥ 6 | 8, ½) = (28 + 8 + 1) / 256.
        double[] baseline = [10, 10, 10, 10, 10, 10, 10, 10, 10];
        double[] candidate = [11, 12, 11, 13, 11, 11, 9, 9, 10];

        var r = ABComparison.Compare(baseline, candidate, Paired with { BlockSize = 1 });

        Assert.Equal(37.0 / 256, r.PValueSlower, 12);
        Assert.Equal((1 + 8 + 28 + 56 + 70 + 56 + 28) / 256.0, r.PValueFaster, 12); // P(X ≥ 2 | 8, ½)
    }

    [Fact]
    public void Too_few_pairs_fall_back_to_independent_samples()
    {
        var random = new Random(3);
        var (a, b) = Interleaved(random, ABComparison.MinimumPairs - 1, 1.2);

        var r = ABComparison.Compare(a, b, Paired);

        Assert.Equal(ComparisonMethod.Independent, r.Method);
        Assert.Equal(0, r.Pairs);
        Assert.Equal(r.RatioOfMedians, r.MedianRatio);
        Assert.Equal("Mann-Whitney", r.TestName);
    }

    [Theory]
    [InlineData(1.00, Verdict.Same)]
    [InlineData(1.02, Verdict.Same)]
    [InlineData(1.15, Verdict.Slower)]
    [InlineData(1 / 1.15, Verdict.Faster)]
    public void Verdict_flips_at_the_right_place_despite_shared_bursts(double factor, Verdict expected)
    {
        // Load bursts of σ = 30% between pairs dwarf the 2–15% effects; pairing removes them.
        var random = new Random(11);
        var (a, b) = Interleaved(random, 40, factor);

        var r = ABComparison.Compare(a, b, Paired);

        Assert.Equal(expected, r.Verdict);
        Assert.InRange(r.MedianRatio, factor * 0.98, factor * 1.02);
    }

    [Fact]
    public void Swapping_groups_swaps_the_verdict()
    {
        var (a, b) = Interleaved(new Random(5), 30, 1.2);

        var forward = ABComparison.Compare(a, b, Paired);
        var backward = ABComparison.Compare(b, a, Paired);

        Assert.Equal(Verdict.Slower, forward.Verdict);
        Assert.Equal(Verdict.Faster, backward.Verdict);
        Assert.Equal(1 / forward.MedianRatio, backward.MedianRatio, 9);
    }

    [Fact]
    public void Shared_bursts_neither_raise_false_alarms_nor_hide_a_regression()
    {
        // 200 A/A and 200 A/B (+12%) comparisons of 16 pairs under heavy shared load (σ = 30% per pair).
        var random = new Random(2024);
        int falseSlower = 0, caught = 0, independentCaught = 0;
        for (var i = 0; i < 200; i++)
        {
            var (a, a2) = Interleaved(random, 16, 1.0);
            falseSlower += ABComparison.Compare(a, a2, Paired).Verdict == Verdict.Slower ? 1 : 0;
            var (b, c) = Interleaved(random, 16, 1.12);
            caught += ABComparison.Compare(b, c, Paired).Verdict == Verdict.Slower ? 1 : 0;
            independentCaught += ABComparison.Compare(b, c, Paired with { BlockSize = 0 }).Verdict == Verdict.Slower ? 1 : 0;
        }

        Assert.True(falseSlower <= 2, $"A/A said Slower {falseSlower}/200");
        Assert.True(caught >= 190, $"+12% caught {caught}/200");
        Assert.True(independentCaught < caught, $"independent {independentCaught} vs paired {caught}: pairing should add power under shared load");
    }

    [Fact]
    public void Undecided_means_one_standard_error_reaches_past_a_limit()
    {
        var (a, b) = Interleaved(new Random(8), 12, 1.05, loadSigma: 0.3);

        var r = ABComparison.Compare(a, b, Paired with { Threshold = 0.05 });
        var clear = ABComparison.Compare(a, a.Select(static x => x * 1.5).ToArray(), Paired);

        Assert.Equal(r.Verdict == Verdict.Same && (r.MedianRatioOneSigmaInterval.Upper > 1.05 || r.MedianRatioOneSigmaInterval.Lower < 1 / 1.05), r.Undecided);
        Assert.True(r.Undecided); // a true +5% against a 5% limit is the textbook undecided case
        Assert.Equal(Verdict.Slower, clear.Verdict);
        Assert.False(clear.Undecided);
    }
}
