namespace PipelineGate.Measure.Statistics;

/// <summary>
/// Spearman's rank correlation: the Pearson correlation of the two samples' ranks, ties given the average of the
/// ranks they span (so 10, 20, 20, 30 ranks 1, 2.5, 2.5, 4). With ties this differs from the shortcut
/// 1 − 6Σd²/(n(n²−1)), which holds only for distinct values; the Pearson form is the definition the STS
/// benchmarks report.
/// </summary>
public static class SpearmanCorrelation
{
    /// <summary>ρ of <paramref name="x"/> and <paramref name="y"/> (same length ≥ 2); NaN when either is constant (no ranking to correlate).</summary>
    public static double Of(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count || x.Count < 2)
        {
            throw new ArgumentException($"Spearman's ρ needs two samples of the same length ≥ 2, got {x.Count} and {y.Count}.", nameof(y));
        }

        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>1-based ranks in ascending order, tied values sharing the mean of the ranks they occupy.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Any(double.IsNaN))
        {
            throw new ArgumentException("Values to rank must not be NaN.", nameof(values));
        }

        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            var rank = (start + end) / 2.0 + 1; // mean of the 1-based ranks start+1 … end+1
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }

    private static double Pearson(double[] a, double[] b)
    {
        var meanA = a.Average();
        var meanB = b.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var da = a[i] - meanA;
            var db = b[i] - meanB;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }

        return saa == 0 || sbb == 0 ? double.NaN : sab / Math.Sqrt(saa * sbb);
    }
}
