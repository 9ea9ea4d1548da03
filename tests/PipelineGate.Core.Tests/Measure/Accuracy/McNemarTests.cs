using PipelineGate.Measure.Accuracy;
using Xunit;

namespace PipelineGate.Tests.Measure.Accuracy;

public sealed class McNemarTests
{
    [Fact]
    public void Chi_square_branch_matches_Agresti_presidential_approval_example()
    {
        // Source: A. Agresti, An Introduction to Categorical Data Analysis, 2nd ed. (Wiley, 2007),
        // Sec. 8.1, Table 8.1: approval of the President's performance in two surveys of the same
        // 1600 people: 794 approve/approve, 150 approve/disapprove, 86 disapprove/approve,
        // 570 disapprove/disapprove. The book's statistic without continuity correction is
        // z² = (86 − 150)² / (86 + 150) = 17.36 (z = −4.17).
        var t = McNemarTest.Compute(150, 86);

        // The test keeps the discordant counts it was given (b first), and the chi-square tail it uses gives
        // the book's uncorrected statistic z² = 17.36 its two-sided normal p-value, erfc(|z|/√2) = 3.0993e-05.
        Assert.Equal((150, 86, 236), (t.OnlyACorrect, t.OnlyBCorrect, t.Discordant));
        Assert.Equal(3.0992934410452196e-05, SpecialFunctions.ChiSquare1Survival(64.0 * 64 / 236), 1e-12);

        // With Edwards' correction: (|150 − 86| − 1)² / 236 = 3969 / 236 = 16.8178; p = erfc(√(χ²/2)).
        Assert.Equal(McNemarMethod.ChiSquareContinuityCorrected, t.Method);
        Assert.Equal(3969.0 / 236, t.ChiSquare!.Value, 10);
        Assert.Equal(4.1145622813459415e-05, t.PValue, 1e-12);
    }

    [Fact]
    public void Exact_branch_matches_the_binomial_tail()
    {
        // Counts of the example in Wikipedia's "McNemar's test" article (b = 6, c = 16, uncorrected
        // χ² = 100/22 = 4.55). With 22 < 25 discordant pairs the exact test applies:
        // p = 2 · Σ_{i=0..6} C(22, i) / 2^22 = 2 · 110056 / 4194304 = 0.052479.
        var t = McNemarTest.Compute(6, 16);

        Assert.Equal(McNemarMethod.ExactBinomial, t.Method);
        Assert.Null(t.ChiSquare);
        Assert.Equal(2.0 * 110056 / 4194304, t.PValue, 15);
        Assert.Equal(t.PValue, McNemarTest.Compute(16, 6).PValue);
    }

    [Fact]
    public void Edge_cases_give_p_of_one()
    {
        Assert.Equal(1.0, McNemarTest.Compute(0, 0).PValue);
        Assert.Equal(1.0, McNemarTest.Compute(5, 5).PValue); // exact: 2·P(X ≤ 5 | n = 10) > 1, capped
        Assert.Equal(1.0, McNemarTest.Compute(20, 20).PValue, 12); // χ² = 0
    }
}
