namespace PipelineGate.Measure.Statistics;

/// <summary>Hodges–Lehmann two-sample shift: the median of all pairwise differences yⱼ − xᵢ.</summary>
/// <remarks>
/// The n·m differences are never materialised (that costs 8 bytes per pair and dominated the whole
/// comparison). Because both samples are sorted, the number of differences ≤ t can be counted in
/// O(n + m) with one moving pointer, so the k-th smallest difference is found by bisecting on t until
/// few enough candidates remain to sort them; both middle ranks come out of one search. Counting compares the computed differences themselves,
/// so the result is exactly the median of the differences as floating point would compute them.
/// </remarks>
internal static class HodgesLehmann
{
    /// <summary>Shift of <paramref name="sortedY"/> relative to <paramref name="sortedX"/>; both sorted ascending and non-empty.</summary>
    public static double Shift(double[] sortedX, double[] sortedY)
    {
        var pairs = (long)sortedX.Length * sortedY.Length;
        var (lower, upper) = RankPair(sortedX, sortedY, (pairs - 1) / 2, pairs / 2);
        return (lower + upper) / 2;
    }

    // The kLow-th and kHigh-th smallest (0-based, kHigh ∈ {kLow, kLow + 1}) of y[j] − x[i], found together.
    private static (double Low, double High) RankPair(double[] x, double[] y, long kLow, long kHigh)
    {
        // Invariant: CountAtMost(lo) ≤ kLow and kHigh < CountAtMost(hi): both answers lie in (lo, hi].
        var lo = Math.BitDecrement(y[0] - x[^1]);
        var hi = y[^1] - x[0];
        var countLo = 0L;
        var countHi = (long)x.Length * y.Length;
        while (countHi - countLo > 4 * (x.Length + y.Length))
        {
            var mid = lo + ((hi - lo) / 2);
            if (mid <= lo || mid >= hi)
            {
                // lo and hi are adjacent doubles: every difference in (lo, hi] equals hi.
                return (hi, hi);
            }

            var count = CountAtMost(x, y, mid);
            if (count <= kLow)
            {
                (lo, countLo) = (mid, count);
            }
            else if (count > kHigh)
            {
                (hi, countHi) = (mid, count);
            }
            else
            {
                // mid splits the two ranks: kLow is the largest difference ≤ mid, kHigh the smallest above.
                return (LargestAtMost(x, y, mid), SmallestAbove(x, y, mid));
            }
        }

        var between = Between(x, y, lo, hi, (int)(countHi - countLo));
        Array.Sort(between);
        return (between[kLow - countLo], between[kHigh - countLo]);
    }

    private static double LargestAtMost(double[] x, double[] y, double atMost)
    {
        var best = double.NegativeInfinity;
        var p = 0;
        foreach (var yj in y)
        {
            while (p < x.Length && yj - x[p] > atMost)
            {
                p++;
            }

            if (p < x.Length)
            {
                best = Math.Max(best, yj - x[p]);
            }
        }

        return best;
    }

    private static double SmallestAbove(double[] x, double[] y, double above)
    {
        var best = double.PositiveInfinity;
        var p = 0;
        foreach (var yj in y)
        {
            while (p < x.Length && yj - x[p] > above)
            {
                p++;
            }

            if (p > 0)
            {
                best = Math.Min(best, yj - x[p - 1]);
            }
        }

        return best;
    }

    // Number of pairs with y[j] − x[i] ≤ t. For each j that is a suffix i ≥ p of x, and p only grows with j.
    private static long CountAtMost(double[] x, double[] y, double t)
    {
        long count = 0;
        var p = 0;
        foreach (var yj in y)
        {
            while (p < x.Length && yj - x[p] > t)
            {
                p++;
            }

            count += x.Length - p;
        }

        return count;
    }

    // The differences in (lo, hi]: for each j, the x indices between the two suffix starts.
    private static double[] Between(double[] x, double[] y, double lo, double hi, int size)
    {
        var result = new double[size];
        var k = 0;
        var pHi = 0;
        var pLo = 0;
        foreach (var yj in y)
        {
            while (pHi < x.Length && yj - x[pHi] > hi)
            {
                pHi++;
            }

            while (pLo < x.Length && yj - x[pLo] > lo)
            {
                pLo++;
            }

            for (var i = pHi; i < pLo; i++)
            {
                result[k++] = yj - x[i];
            }
        }

        return result;
    }
}
