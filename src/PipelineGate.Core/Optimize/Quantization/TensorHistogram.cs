namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Running statistics of one activation tensor with a fixed memory footprint: minimum, maximum and a
/// histogram of |x| over [0, <see cref="Top"/>] in a fixed number of equal bins. When a batch holds a
/// value beyond the range, the range doubles (as many times as needed) and every 2^k adjacent bins are
/// merged into one, so bin edges stay exact and no value is ever stored. The state is
/// <see cref="StateBytes"/> whatever the number of values folded.
/// </summary>
internal sealed class TensorHistogram
{
    public const int DefaultBins = 2048;

    private readonly long[] _counts;

    public TensorHistogram(int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        if ((bins & (bins - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "The bin count must be a power of two so that re-binning merges whole bins.");
        }

        _counts = new long[bins];
    }

    /// <summary>Upper edge of the last bin; 0 until a non-zero value was seen.</summary>
    public double Top { get; private set; }

    public int Bins => _counts.Length;

    public double BinWidth => Top / _counts.Length;

    public long Total { get; private set; }

    /// <summary>NaN and ±∞ values seen; they are not counted in the histogram or the range.</summary>
    public long NonFinite { get; private set; }

    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    public ReadOnlySpan<long> Counts => _counts;

    /// <summary>Bytes of state: the bins plus a fixed number of scalars, independent of how much data was folded.</summary>
    public long StateBytes => (_counts.Length * sizeof(long)) + 48;

    /// <summary>Builds a histogram from bin counts directly (for tests of the threshold search).</summary>
    public static TensorHistogram FromCounts(ReadOnlySpan<long> counts, double top)
    {
        var h = new TensorHistogram(counts.Length) { Top = top, Min = 0, Max = (float)top };
        counts.CopyTo(h._counts);
        foreach (var c in counts)
        {
            h.Total += c;
        }

        return h;
    }

    public void Fold(ReadOnlySpan<float> values)
    {
        if (Top == 0)
        {
            // Until a non-zero value is seen, take the range from the whole batch so that the first range is tight.
            var (min, max, _) = Scan(values);
            if (min <= max)
            {
                Grow(Math.Max(Math.Abs((double)min), Math.Abs((double)max)));
            }
        }

        CountAndGrow(values);
    }

    // The loops below run over every calibration value; they are written without calls (no Math.*,
    // no span indexers) so that they stay fast in unoptimized (Debug) builds too.
    internal static unsafe (float Min, float Max, long NonFinite) Scan(ReadOnlySpan<float> values)
    {
        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        long nonFinite = 0;
        fixed (float* start = values)
        {
            for (float* p = start, end = start + values.Length; p < end; p++)
            {
                var v = *p;
                if (v - v != 0)
                {
                    nonFinite++; // NaN or ±∞ (∞ − ∞ is NaN)
                    continue;
                }

                if (v < min)
                {
                    min = v;
                }

                if (v > max)
                {
                    max = v;
                }
            }
        }

        return (min, max, nonFinite);
    }

    private unsafe void CountAndGrow(ReadOnlySpan<float> values)
    {
        var last = _counts.Length - 1;
        var top = Top;
        var perUnit = top == 0 ? 0 : _counts.Length / top;
        var min = Min;
        var max = Max;
        long nonFinite = 0;
        fixed (float* start = values)
        fixed (long* counts = _counts)
        {
            for (float* p = start, end = start + values.Length; p < end; p++)
            {
                var v = *p;
                if (v - v != 0)
                {
                    nonFinite++;
                    continue;
                }

                min = v < min ? v : min;
                max = v > max ? v : max;
                double a = v < 0 ? -v : v;
                if (a > top)
                {
                    Grow(a); // rare: merges bins in place, the array stays the same
                    top = Top;
                    perUnit = _counts.Length / top;
                }

                var bin = (int)(a * perUnit);
                counts[bin > last ? last : bin]++;
            }
        }

        Min = min;
        Max = max;
        NonFinite += nonFinite;
        Total += values.Length - nonFinite;
    }

    /// <summary>Widens the range by powers of two until it covers <paramref name="maxAbs"/>, merging bins.</summary>
    private void Grow(double maxAbs)
    {
        if (maxAbs <= Top)
        {
            return;
        }

        if (Top == 0)
        {
            // Only zeros so far: they are all in bin 0, which stays bin 0 at any width.
            Top = maxAbs;
            return;
        }

        var factor = 1L;
        var top = Top;
        while (top < maxAbs)
        {
            top *= 2;
            factor *= 2;
        }

        var bins = _counts.Length;
        if (factor >= bins)
        {
            var sum = 0L;
            foreach (var c in _counts)
            {
                sum += c;
            }

            Array.Clear(_counts);
            _counts[0] = sum;
        }
        else
        {
            var f = (int)factor;
            for (var i = 0; i < bins / f; i++)
            {
                var sum = 0L;
                for (var j = 0; j < f; j++)
                {
                    sum += _counts[(i * f) + j];
                }

                _counts[i] = sum;
            }

            Array.Clear(_counts, bins / f, bins - (bins / f));
        }

        Top = top;
    }
}
