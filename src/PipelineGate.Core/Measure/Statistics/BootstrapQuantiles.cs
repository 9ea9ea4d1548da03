namespace PipelineGate.Measure.Statistics;

/// <summary>
/// Draws bootstrap resamples (with replacement) of one sorted sample and returns their type-7 quantiles.
/// </summary>
/// <remarks>
/// A resample of a sorted array is fully described by how often each index was drawn, and walking those
/// counts in index order visits the resample in sorted order. That turns each resample into O(n) work
/// with no sorting, which is what makes thousands of resamples cheap.
/// </remarks>
internal sealed class BootstrapQuantiles
{
    private readonly double[] _sorted;
    private readonly int[] _counts;
    private readonly int[] _lowRanks;
    private readonly double[] _fractions;

    /// <param name="sorted">Sample sorted ascending.</param>
    /// <param name="probabilities">Quantile probabilities, ascending.</param>
    public BootstrapQuantiles(double[] sorted, ReadOnlySpan<double> probabilities)
    {
        _sorted = sorted;
        _counts = new int[sorted.Length];
        _lowRanks = new int[probabilities.Length];
        _fractions = new double[probabilities.Length];
        for (var j = 0; j < probabilities.Length; j++)
        {
            // Same h = (n − 1)·p split as Quantiles.Type7.
            var h = (sorted.Length - 1) * probabilities[j];
            _lowRanks[j] = Math.Min((int)Math.Floor(h), sorted.Length - 1);
            _fractions[j] = h - _lowRanks[j];
        }
    }

    /// <summary>Draws one resample of size n and writes its quantiles.</summary>
    /// <param name="randomState">SplitMix64 state, advanced by n draws.</param>
    /// <param name="quantiles">Receives one quantile per probability.</param>
    public void Draw(ref ulong randomState, Span<double> quantiles)
    {
        var n = _sorted.Length;
        var counts = _counts;
        Array.Clear(counts);
        for (var i = 0; i < n; i++)
        {
            counts[SplitMix64.ToIndex(SplitMix64.Next(ref randomState), n)]++;
        }

        // index = original index holding the resample's order statistic at rank `rank` (0-based);
        // seen = number of resample values with original index ≤ index.
        var index = 0;
        var seen = _counts[0];
        for (var j = 0; j < _lowRanks.Length; j++)
        {
            var rank = _lowRanks[j];
            while (seen <= rank)
            {
                seen += _counts[++index];
            }

            var low = _sorted[index];
            var high = low;
            if (rank + 1 < n)
            {
                // The next order statistic is the same value unless this index's copies end here.
                var next = index;
                var nextSeen = seen;
                while (nextSeen <= rank + 1)
                {
                    nextSeen += _counts[++next];
                }

                high = _sorted[next];
            }

            quantiles[j] = low + (_fractions[j] * (high - low));
        }
    }
}
