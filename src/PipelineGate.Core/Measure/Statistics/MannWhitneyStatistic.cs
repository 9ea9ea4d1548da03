namespace PipelineGate.Measure.Statistics;

/// <summary>
/// U of the first sample, its null mean and tie-corrected standard deviation (see <see cref="MannWhitney"/>).
/// Separate from the test so an A/B comparison can evaluate both directions from one ranking.
/// </summary>
internal readonly record struct MannWhitneyStatistic(double U, double Mean, double StandardDeviation)
{
    public static MannWhitneyStatistic Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var total = x.Length + y.Length;
        var values = new double[total];
        var fromX = new bool[total];
        x.CopyTo(values);
        y.CopyTo(values.AsSpan(x.Length));
        fromX.AsSpan(0, x.Length).Fill(true);
        Array.Sort(values, fromX);

        var rankSumX = 0.0;
        var tieSum = 0.0;
        for (var start = 0; start < total;)
        {
            var end = start;
            while (end + 1 < total && values[end + 1] == values[start])
            {
                end++;
            }

            // Ranks start+1 … end+1 share their average.
            var midrank = (start + end + 2) / 2.0;
            for (var i = start; i <= end; i++)
            {
                if (fromX[i])
                {
                    rankSumX += midrank;
                }
            }

            double ties = end - start + 1;
            tieSum += (ties * ties * ties) - ties;
            start = end + 1;
        }

        double n = x.Length;
        double m = y.Length;
        double pooled = total;
        var u = rankSumX - (n * (n + 1) / 2);
        var variance = n * m / 12 * (pooled + 1 - (tieSum / (pooled * (pooled - 1))));

        // A single pooled value (N = 1) makes the tie term 0/0; all values tied makes variance 0.
        var sd = double.IsFinite(variance) && variance > 0 ? Math.Sqrt(variance) : 0;
        return new MannWhitneyStatistic(u, n * m / 2, sd);
    }

    public MannWhitneyResult Evaluate(MannWhitneyAlternative alternative)
    {
        if (StandardDeviation == 0)
        {
            // No spread in the ranks: the data carry no evidence either way.
            return new MannWhitneyResult(U, 0, 1, alternative);
        }

        var diff = U - Mean;
        var (z, p) = alternative switch
        {
            MannWhitneyAlternative.Greater => Upper((diff - 0.5) / StandardDeviation),
            MannWhitneyAlternative.Less => Lower((diff + 0.5) / StandardDeviation),

            // Shrink |U − mean| by ½ but never past zero.
            MannWhitneyAlternative.TwoSided => Both(Math.Sign(diff) * Math.Max(Math.Abs(diff) - 0.5, 0) / StandardDeviation),
            _ => throw new ArgumentOutOfRangeException(nameof(alternative), alternative, "Unknown alternative."),
        };
        return new MannWhitneyResult(U, z, p, alternative);

        static (double, double) Upper(double z) => (z, NormalDistribution.Cdf(-z));
        static (double, double) Lower(double z) => (z, NormalDistribution.Cdf(z));
        static (double, double) Both(double z) => (z, Math.Min(1, 2 * NormalDistribution.Cdf(-Math.Abs(z))));
    }
}
