namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Chooses a clipping threshold for |x| from a <see cref="TensorHistogram"/>.
/// <para>Percentile: the upper edge of the first bin where the cumulative count reaches the percentile.</para>
/// <para>
/// Entropy (the KL-divergence method TensorRT popularised): for every candidate bin count i from
/// <see cref="QuantizedLevels"/> to the number of bins, the reference distribution P is the first i
/// bins with every count beyond them added to the last one (clipping), and Q is the first i bins merged
/// into 128 levels and spread back evenly over the bins that are non-empty in P. The threshold is the
/// upper edge of bin i − 1 for the i with the smallest KL(P ‖ Q); ties keep the smaller i.
/// </para>
/// </summary>
internal static class HistogramThresholds
{
    public const int QuantizedLevels = 128;

    public const double DefaultPercentile = 99.999;

    /// <summary>Smoothing for bins that P has and Q lacks, relative to a probability of 1.</summary>
    private const double Epsilon = 1e-7;

    public static double Percentile(TensorHistogram histogram, double percentile = DefaultPercentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (histogram.Total == 0 || histogram.Top == 0)
        {
            return 0;
        }

        var target = histogram.Total * (percentile / 100);
        var counts = histogram.Counts;
        long cumulative = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            if (cumulative >= target)
            {
                return (i + 1) * histogram.BinWidth;
            }
        }

        return histogram.Top;
    }

    public static double Entropy(TensorHistogram histogram)
    {
        if (histogram.Total == 0 || histogram.Top == 0)
        {
            return 0;
        }

        var counts = histogram.Counts;
        var bins = counts.Length;
        var lastNonEmpty = bins - 1;
        while (lastNonEmpty > 0 && counts[lastNonEmpty] == 0)
        {
            lastNonEmpty--;
        }

        if (lastNonEmpty + 1 <= QuantizedLevels)
        {
            return (lastNonEmpty + 1) * histogram.BinWidth; // already representable with 128 levels: no clipping
        }

        var suffix = new long[bins + 1];
        for (var i = bins - 1; i >= 0; i--)
        {
            suffix[i] = suffix[i + 1] + counts[i];
        }

        var best = lastNonEmpty + 1;
        var bestKl = double.PositiveInfinity;
        for (var i = QuantizedLevels; i <= lastNonEmpty + 1; i++)
        {
            var kl = Divergence(counts, i, suffix[i]);
            if (kl < bestKl)
            {
                bestKl = kl;
                best = i;
            }
        }

        return best * histogram.BinWidth;
    }

    /// <summary>KL(P ‖ Q) for the first <paramref name="length"/> bins, with <paramref name="outliers"/> folded into the last.</summary>
    internal static unsafe double Divergence(ReadOnlySpan<long> histogram, int length, long outliers)
    {
        fixed (long* counts = histogram)
        {
            return Divergence(counts, length, outliers);
        }
    }

    // Pointer loops: this runs ~2 million times per tensor and must stay fast in unoptimized builds.
    private static unsafe double Divergence(long* counts, int length, long outliers)
    {
        // P's total is every count (the outliers are clipped into the last bin); Q's is the unclipped counts only.
        double qTotal = 0;
        for (var b = 0; b < length; b++)
        {
            qTotal += counts[b];
        }

        var pTotal = qTotal + outliers;
        if (pTotal == 0)
        {
            return 0;
        }

        // Merge the unclipped counts into 128 levels (the last level takes the remainder) and spread each level
        // evenly over the bins that are non-empty in P, as a quantized tensor would reproduce them.
        var perLevel = length / QuantizedLevels;
        double kl = 0;
        for (var level = 0; level < QuantizedLevels; level++)
        {
            var start = level * perLevel;
            var end = level == QuantizedLevels - 1 ? length : start + perLevel;
            double sum = 0;
            var nonEmpty = 0;
            for (var b = start; b < end; b++)
            {
                sum += counts[b];
                nonEmpty += counts[b] > 0 || (b == length - 1 && outliers > 0) ? 1 : 0;
            }

            var qn = nonEmpty == 0 || qTotal == 0 ? 0 : sum / nonEmpty / qTotal;
            for (var b = start; b < end; b++)
            {
                var p = b == length - 1 ? counts[b] + outliers : counts[b];
                if (p > 0)
                {
                    var pn = p / pTotal;
                    kl += pn * Math.Log(pn / (qn > Epsilon ? qn : Epsilon));
                }
            }
        }

        return kl;
    }
}
