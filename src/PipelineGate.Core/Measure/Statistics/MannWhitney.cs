namespace PipelineGate.Measure.Statistics;

/// <summary>
/// Mann–Whitney U (Wilcoxon rank-sum) test with the normal approximation.
/// </summary>
/// <remarks>
/// <para>
/// Tests whether values of <c>x</c> tend to be larger or smaller than values of <c>y</c>
/// (H0: P(X &gt; Y) = ½), assuming independent samples within and between groups. It makes no
/// normality assumption, which matters for skewed, spiky latencies.
/// </para>
/// <para>
/// Method: midranks over the pooled sample; <c>U = Rₓ − n(n+1)/2</c>; mean <c>nm/2</c>; variance
/// <c>nm/12 · ((N+1) − Σ(t³ − t)/(N(N−1)))</c>, the second term correcting for tie groups of size t
/// (timer resolution produces many ties); and a continuity correction of ½ towards the mean, matching
/// R's <c>wilcox.test(exact = FALSE, correct = TRUE)</c>. No exact distribution is computed: with more
/// than about 20 samples per group the approximation is accurate to well within the α levels a gate
/// uses, and exact tables do not handle ties anyway. Do not rely on p-values from smaller samples.
/// </para>
/// </remarks>
public static class MannWhitney
{
    /// <summary>Runs the test of <paramref name="x"/> against <paramref name="y"/>.</summary>
    /// <param name="x">First sample; at least one finite value.</param>
    /// <param name="y">Second sample; at least one finite value.</param>
    /// <param name="alternative">Direction of the alternative hypothesis, relative to <paramref name="x"/>.</param>
    public static MannWhitneyResult Test(
        ReadOnlySpan<double> x,
        ReadOnlySpan<double> y,
        MannWhitneyAlternative alternative = MannWhitneyAlternative.TwoSided)
    {
        SampleGuard.RequireFinite(x, 1, nameof(x));
        SampleGuard.RequireFinite(y, 1, nameof(y));
        return MannWhitneyStatistic.Compute(x, y).Evaluate(alternative);
    }
}
