using PipelineGate.Measure.Statistics;
using Xunit;

namespace PipelineGate.Tests.Measure.Statistics;

public sealed class MannWhitneyTests
{
    // Hollander & Wolfe's permeability data, the example of R's wilcox.test (W = 35).
    private static readonly double[] X = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
    private static readonly double[] Y = [1.15, 0.88, 0.90, 0.74, 1.21];

    [Fact]
    public void Textbook_example_matches_hand_computation()
    {
        // Pooled ranks of x: 1, 3, 4, 7, 10, 11, 12, 13, 14, 15 → Rₓ = 90, U = 90 − 10·11/2 = 35.
        // Mean 10·5/2 = 25, variance 10·5·16/12 = 66.67, z = (35 − 25 − ½)/8.16497 = 1.16351,
        // p = 1 − Φ(1.16351) = 0.12231 (the exact p of 0.1272 is close, as expected for n = 15).
        var result = MannWhitney.Test(X, Y, MannWhitneyAlternative.Greater);

        Assert.Equal(35, result.U);
        Assert.Equal(1.1635076278220096, result.Z, 9);
        Assert.Equal(0.12231180256349167, result.PValue, 9);

        var twoSided = MannWhitney.Test(X, Y);
        Assert.Equal(0.24462360512698333, twoSided.PValue, 9);
    }

    [Fact]
    public void Ties_use_midranks_and_tie_corrected_variance()
    {
        // Pooled: 1x 2x 2x 2y 3x 3y 4y 5y. Midranks: 1; 3, 3, 3; 5.5, 5.5; 7; 8.
        // Rₓ = 1 + 3 + 3 + 5.5 = 12.5, U = 12.5 − 10 = 2.5, mean 8.
        // Ties: groups of 3 and 2 → Σ(t³ − t) = 24 + 6 = 30; variance = 16/12·(9 − 30/56) = 11.2857.
        // Two-sided z = (2.5 − 8 + ½)/3.35942 = −1.48835, p = 2Φ(−1.48835) = 0.13666.
        double[] x = [1, 2, 2, 3];
        double[] y = [2, 3, 4, 5];

        var twoSided = MannWhitney.Test(x, y);
        Assert.Equal(2.5, twoSided.U);
        Assert.Equal(-1.4883513944689681, twoSided.Z, 9);
        Assert.Equal(0.13665824773814753, twoSided.PValue, 9);

        Assert.Equal(0.06832912386907376, MannWhitney.Test(x, y, MannWhitneyAlternative.Less).PValue, 9);
        Assert.Equal(0.9629521255093261, MannWhitney.Test(x, y, MannWhitneyAlternative.Greater).PValue, 9);
    }

    [Fact]
    public void Swapping_samples_mirrors_the_one_sided_tests()
    {
        var greater = MannWhitney.Test(X, Y, MannWhitneyAlternative.Greater);
        var less = MannWhitney.Test(Y, X, MannWhitneyAlternative.Less);
        Assert.Equal(greater.PValue, less.PValue, 12);
        Assert.Equal(X.Length * Y.Length - greater.U, less.U, 12);
    }

    [Fact]
    public void Far_tail_p_values_keep_relative_precision()
    {
        // Complete separation of 100 vs 100: U = 10000, z ≈ 12.2; p must be tiny but not rounded to 0.
        var low = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var high = Enumerable.Range(1000, 100).Select(i => (double)i).ToArray();
        var result = MannWhitney.Test(high, low, MannWhitneyAlternative.Greater);
        Assert.Equal(10000, result.U);
        Assert.InRange(result.PValue, 1e-40, 1e-30);
    }

    [Fact]
    public void Identical_values_give_no_evidence()
    {
        var result = MannWhitney.Test([5.0, 5.0, 5.0], [5.0, 5.0], MannWhitneyAlternative.Greater);
        Assert.Equal(1, result.PValue);
        Assert.Equal(0, result.Z);
    }
}
