namespace PipelineGate.Measure.Statistics;

/// <summary>Standard normal CDF, accurate to near machine precision including far tails.</summary>
internal static class NormalDistribution
{
    private const double TwoOverSqrtPi = 1.1283791670955126;
    private const double OneOverSqrtPi = 0.5641895835477563;

    /// <summary>Φ(x) = P(Z ≤ x) for Z ~ N(0, 1).</summary>
    public static double Cdf(double x)
    {
        // Evaluate through the tail that is small, so p-values keep relative accuracy
        // (1 − Φ(8) would round to 0 if computed as 1 minus something close to 1).
        var tail = 0.5 * Erfc(Math.Abs(x) / Math.Sqrt(2));
        return x < 0 ? tail : 1 - tail;
    }

    // Complementary error function for z ≥ 0.
    private static double Erfc(double z)
    {
        if (z < 2)
        {
            // erf z = (2/√π)·e^(−z²)·Σ 2ⁿ z^(2n+1) / (1·3·…·(2n+1)): every term positive, so no
            // cancellation; converges in < 40 terms for z < 2, where erfc ≥ 0.0047 leaves
            // 1 − erf well conditioned.
            var term = z;
            var sum = z;
            for (var n = 1; n < 200 && term > sum * 1e-17; n++)
            {
                term *= 2 * z * z / ((2 * n) + 1);
                sum += term;
            }

            return 1 - (TwoOverSqrtPi * Math.Exp(-z * z) * sum);
        }

        // erfc z = (e^(−z²)/√π) · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated bottom-up.
        // For z ≥ 2, 60 levels are far more than double precision needs.
        var fraction = 0.0;
        for (var k = 60; k >= 1; k--)
        {
            fraction = k / 2.0 / (z + fraction);
        }

        return OneOverSqrtPi * Math.Exp(-z * z) / (z + fraction);
    }
}
