using PipelineGate.Measure.Statistics;
using Xunit;

namespace PipelineGate.Tests.Measure.Statistics;

/// <summary>Spearman's ρ against values worked out by hand, ties included.</summary>
public sealed class SpearmanCorrelationTests
{
    [Fact]
    public void Tied_values_share_the_mean_of_the_ranks_they_span()
    {
        Assert.Equal([1, 2.5, 2.5, 4], SpearmanCorrelation.AverageRanks([10, 20, 20, 30]));
        Assert.Equal([3, 1, 3, 3], SpearmanCorrelation.AverageRanks([3, 1, 3, 3])); // ranks 2, 3, 4 → 3
        Assert.Equal([2, 3, 1], SpearmanCorrelation.AverageRanks([0.5, 0.9, -1]));
    }

    [Fact]
    public void Distinct_values_match_the_textbook_formula()
    {
        // d = −1, 1, −1, 1, 0: Σd² = 4, ρ = 1 − 6·4 / (5·24) = 0.8.
        Assert.Equal(0.8, SpearmanCorrelation.Of([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), 12);
    }

    [Fact]
    public void With_ties_it_is_the_pearson_correlation_of_average_ranks_not_the_shortcut()
    {
        // y ranks 1, 2, 3.5, 5, 3.5 (the two 7s tie). Deviations from the mean rank 3: x −2 −1 0 1 2, y −2 −1 0.5 2 0.5;
        // Σxy = 8, Σx² = 10, Σy² = 9.5, ρ = 8 / √95 = 0.820783. The distinct-values shortcut would say 0.825.
        var rho = SpearmanCorrelation.Of([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]);
        Assert.Equal(8 / Math.Sqrt(95), rho, 12);
        Assert.Equal(0.820783, rho, 6);
    }

    [Fact]
    public void Any_monotone_relation_is_one_and_a_reversed_one_minus_one()
    {
        double[] x = [0.1, 0.4, 0.2, 0.9, 0.5];
        Assert.Equal(1, SpearmanCorrelation.Of(x, x.Select(static v => v * v * v).ToArray()), 12);
        Assert.Equal(-1, SpearmanCorrelation.Of(x, x.Select(static v => -Math.Exp(v)).ToArray()), 12);
    }

    [Fact]
    public void A_constant_sample_has_no_ranking_to_correlate()
    {
        Assert.True(double.IsNaN(SpearmanCorrelation.Of([1, 2, 3], [4, 4, 4])));
    }

    [Fact]
    public void Samples_of_different_lengths_or_under_two_values_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SpearmanCorrelation.Of([1, 2, 3], [1, 2]));
        Assert.Throws<ArgumentException>(() => SpearmanCorrelation.Of([1], [1]));
        Assert.Throws<ArgumentException>(() => SpearmanCorrelation.AverageRanks([1, double.NaN]));
    }
}
