namespace PipelineGate.Measure.Statistics;

/// <summary>Probability mass function of Binomial(n, p), for order-statistic confidence intervals.</summary>
internal static class BinomialPmf
{
    /// <summary>Returns <c>P(B = k)</c> for <c>k = 0..n</c>; p must be strictly between 0 and 1.</summary>
    public static double[] Compute(int n, double p)
    {
        // Build the pmf outward from the mode with the ratio P(k+1)/P(k) = (n−k)/(k+1) · p/(1−p),
        // then normalise. The mode gets weight 1, so nothing overflows, far tails underflow harmlessly
        // to 0, and no log-gamma is needed; relative error grows only ~k·ε along the walk.
        var weights = new double[n + 1];
        var odds = p / (1 - p);
        var mode = (int)Math.Min(n, Math.Floor((n + 1) * p));
        weights[mode] = 1;
        for (var k = mode; k < n && weights[k] > 0; k++)
        {
            weights[k + 1] = weights[k] * (n - k) / (k + 1) * odds;
        }

        for (var k = mode; k > 0 && weights[k] > 0; k--)
        {
            weights[k - 1] = weights[k] * k / (n - k + 1) / odds;
        }

        var sum = 0.0;
        foreach (var w in weights)
        {
            sum += w;
        }

        for (var k = 0; k <= n; k++)
        {
            weights[k] /= sum;
        }

        return weights;
    }
}
