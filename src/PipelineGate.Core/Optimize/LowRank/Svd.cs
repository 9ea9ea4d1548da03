namespace PipelineGate.Optimize.LowRank;

/// <summary>A thin singular value decomposition A = U·diag(S)·Vᵀ of an m×n matrix, singular values descending.</summary>
internal sealed record SvdResult(double[,] U, double[] S, double[,] V);

/// <summary>
/// One-sided Jacobi (Hestenes) SVD in double precision: rotates pairs of columns until every pair is
/// orthogonal to working precision; the column norms are then the singular values. Slower than
/// bidiagonalization but simple, accurate for small singular values, and without dependencies.
/// </summary>
internal static class Svd
{
    public static SvdResult Decompose(double[,] a)
    {
        var m = a.GetLength(0);
        var n = a.GetLength(1);
        if (m < n)
        {
            // Work on the transpose so the columns rotated are the shorter side.
            var t = Decompose(Transpose(a));
            return new SvdResult(t.V, t.S, t.U);
        }

        var cols = new double[n][];
        for (var j = 0; j < n; j++)
        {
            cols[j] = new double[m];
            for (var i = 0; i < m; i++)
            {
                cols[j][i] = a[i, j];
            }
        }

        var v = new double[n][];
        for (var j = 0; j < n; j++)
        {
            v[j] = new double[n];
            v[j][j] = 1;
        }

        const double Tolerance = 1e-14;
        for (var sweep = 0; sweep < 80; sweep++)
        {
            var rotated = false;
            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    double alpha = 0, beta = 0, gamma = 0;
                    var cp = cols[p];
                    var cq = cols[q];
                    for (var i = 0; i < m; i++)
                    {
                        alpha += cp[i] * cp[i];
                        beta += cq[i] * cq[i];
                        gamma += cp[i] * cq[i];
                    }

                    if (gamma == 0 || Math.Abs(gamma) <= Tolerance * Math.Sqrt(alpha * beta))
                    {
                        continue;
                    }

                    rotated = true;
                    var zeta = (beta - alpha) / (2 * gamma);
                    var tan = (zeta >= 0 ? 1 : -1) / (Math.Abs(zeta) + Math.Sqrt(1 + (zeta * zeta)));
                    var cos = 1 / Math.Sqrt(1 + (tan * tan));
                    var sin = cos * tan;
                    Rotate(cp, cq, cos, sin);
                    Rotate(v[p], v[q], cos, sin);
                }
            }

            if (!rotated)
            {
                break;
            }
        }

        var s = new double[n];
        for (var j = 0; j < n; j++)
        {
            s[j] = Math.Sqrt(cols[j].Sum(static x => x * x));
        }

        var order = Enumerable.Range(0, n).OrderByDescending(j => s[j]).ToArray();
        var u = new double[m, n];
        var vv = new double[n, n];
        var sorted = new double[n];
        for (var k = 0; k < n; k++)
        {
            var j = order[k];
            sorted[k] = s[j];
            for (var i = 0; i < m; i++)
            {
                u[i, k] = s[j] > 0 ? cols[j][i] / s[j] : 0;
            }

            for (var i = 0; i < n; i++)
            {
                vv[i, k] = v[j][i];
            }
        }

        return new SvdResult(u, sorted, vv);
    }

    private static void Rotate(double[] x, double[] y, double cos, double sin)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var (a, b) = (x[i], y[i]);
            x[i] = (cos * a) - (sin * b);
            y[i] = (sin * a) + (cos * b);
        }
    }

    private static double[,] Transpose(double[,] a)
    {
        var t = new double[a.GetLength(1), a.GetLength(0)];
        for (var i = 0; i < a.GetLength(0); i++)
        {
            for (var j = 0; j < a.GetLength(1); j++)
            {
                t[j, i] = a[i, j];
            }
        }

        return t;
    }
}
