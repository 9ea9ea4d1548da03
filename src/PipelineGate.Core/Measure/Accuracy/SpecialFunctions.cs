namespace PipelineGate.Measure.Accuracy;

/// <summary>The few special functions the tests need; .NET has no erfc.</summary>
internal static class SpecialFunctions
{
    private const double Epsilon = 1e-16;
    private const double Tiny = 1e-300;

    /// <summary>P(X ≥ x) for a chi-square variable with one degree of freedom: erfc(√(x/2)).</summary>
    public static double ChiSquare1Survival(double x) => x <= 0 ? 1 : Erfc(Math.Sqrt(x / 2));

    /// <summary>
    /// The complementary error function via erfc(z) = Q(1/2, z²), the regularized upper incomplete gamma
    /// function: its power series below z² = 1.5 and its continued fraction (modified Lentz) above,
    /// both converging to double precision. Computing Q directly keeps small p-values accurate in
    /// relative terms instead of as 1 − (something close to 1).
    /// </summary>
    public static double Erfc(double z)
    {
        if (double.IsNaN(z))
        {
            return double.NaN;
        }

        if (z < 0)
        {
            return 2 - Erfc(-z);
        }

        if (z == 0)
        {
            return 1;
        }

        const double a = 0.5;
        var x = z * z;

        // x^a e^{-x} / Γ(a), with Γ(1/2) = √π.
        var prefactor = Math.Exp((a * Math.Log(x)) - x - (0.5 * Math.Log(Math.PI)));
        if (prefactor == 0)
        {
            return 0;
        }

        if (x < a + 1)
        {
            // P(a, x) = x^a e^{-x} / Γ(a) · Σ x^n / (a (a+1) ... (a+n)).
            var term = 1 / a;
            var sum = term;
            for (var n = 1; n < 500; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * Epsilon)
                {
                    break;
                }
            }

            return 1 - (sum * prefactor);
        }

        // Q(a, x) = x^a e^{-x} / Γ(a) · 1 / (x + 1 - a - 1·(1-a) / (x + 3 - a - 2·(2-a) / (x + 5 - a - ...))).
        var b = x + 1 - a;
        var c = 1 / Tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < 500; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = (an * d) + b;
            if (Math.Abs(d) < Tiny)
            {
                d = Tiny;
            }

            c = b + (an / c);
            if (Math.Abs(c) < Tiny)
            {
                c = Tiny;
            }

            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                break;
            }
        }

        return prefactor * h;
    }
}
