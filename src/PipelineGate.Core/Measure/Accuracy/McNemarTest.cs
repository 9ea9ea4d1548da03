namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// McNemar's test for two classifiers scored on the same samples. Only discordant samples carry
/// information: b = A right and B wrong, c = A wrong and B right. Under "equally accurate" b and c
/// are Binomial(b + c, 1/2).
/// <para>
/// With b + c &lt; 25 the p-value is the exact two-sided binomial one, min(1, 2·P(X ≤ min(b, c))),
/// because the chi-square approximation is poor for few discordant pairs. Otherwise it is the
/// chi-square test with continuity correction, χ² = (max(0, |b − c| − 1))² / (b + c) on one degree of
/// freedom (the max keeps b = c at χ² = 0). With no discordant pairs p = 1.
/// </para>
/// </summary>
public sealed class McNemarTest
{
    /// <summary>Below this many discordant pairs the exact binomial test is used.</summary>
    public const int ExactBelow = 25;

    private McNemarTest(int onlyACorrect, int onlyBCorrect, McNemarMethod method, double? chiSquare, double pValue)
    {
        OnlyACorrect = onlyACorrect;
        OnlyBCorrect = onlyBCorrect;
        Method = method;
        ChiSquare = chiSquare;
        PValue = pValue;
    }

    /// <summary>b: samples A got right and B got wrong.</summary>
    public int OnlyACorrect { get; }

    /// <summary>c: samples A got wrong and B got right.</summary>
    public int OnlyBCorrect { get; }

    /// <summary>b + c.</summary>
    public int Discordant => OnlyACorrect + OnlyBCorrect;

    public McNemarMethod Method { get; }

    /// <summary>The continuity-corrected statistic; null when the exact test was used.</summary>
    public double? ChiSquare { get; }

    /// <summary>Two-sided p-value for "A and B are equally accurate".</summary>
    public double PValue { get; }

    /// <summary>The test from the two discordant counts.</summary>
    public static McNemarTest Compute(int onlyACorrect, int onlyBCorrect)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(onlyACorrect);
        ArgumentOutOfRangeException.ThrowIfNegative(onlyBCorrect);
        var n = onlyACorrect + onlyBCorrect;
        if (n < ExactBelow)
        {
            return new McNemarTest(onlyACorrect, onlyBCorrect, McNemarMethod.ExactBinomial, null, ExactTwoSided(Math.Min(onlyACorrect, onlyBCorrect), n));
        }

        var excess = Math.Max(0, Math.Abs(onlyACorrect - onlyBCorrect) - 1);
        var chi = (double)excess * excess / n;
        return new McNemarTest(onlyACorrect, onlyBCorrect, McNemarMethod.ChiSquareContinuityCorrected, chi, SpecialFunctions.ChiSquare1Survival(chi));
    }

    /// <summary>min(1, 2·Σ_{i ≤ k} C(n, i) / 2^n); exact in doubles for n &lt; 25 (C(24, 12) &lt; 2^53).</summary>
    private static double ExactTwoSided(int k, int n)
    {
        if (n == 0)
        {
            return 1;
        }

        double binomial = 1;
        double tail = 0;
        for (var i = 0; i <= k; i++)
        {
            tail += binomial;
            binomial = binomial * (n - i) / (i + 1);
        }

        return Math.Min(1, 2 * tail / Math.Pow(2, n));
    }
}
