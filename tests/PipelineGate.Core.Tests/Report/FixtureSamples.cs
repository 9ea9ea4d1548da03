namespace PipelineGate.Tests.Report;

/// <summary>
/// Deterministic latency samples for the report fixture. Only additions, multiplications and square
/// roots are used (all correctly rounded in IEEE 754), so every platform produces the same bits and
/// the golden files stay valid everywhere.
/// </summary>
internal static class FixtureSamples
{
    /// <param name="seed">Generator seed; different per series.</param>
    /// <param name="count">Number of samples.</param>
    /// <param name="median">Centre of the bulk, ms.</param>
    /// <param name="spread">Relative standard deviation of the bulk.</param>
    /// <param name="tailShare">Share of samples hit by a slowdown (scheduler, cache misses).</param>
    /// <param name="tailScale">Largest slowdown, relative to the median.</param>
    public static double[] Latency(ulong seed, int count, double median, double spread, double tailShare, double tailScale)
    {
        var state = seed;
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            // Irwin–Hall: the sum of four uniforms, centred and scaled, is close enough to normal.
            var sum = Next(ref state) + Next(ref state) + Next(ref state) + Next(ref state);
            var z = (sum - 2) * Math.Sqrt(3);
            var x = median * (1 + (spread * z));
            if (Next(ref state) < tailShare)
            {
                var u = Next(ref state);
                x += median * tailScale * u * u;
            }

            samples[i] = Math.Round(x, 4);
        }

        return samples;
    }

    // SplitMix64, written out here so the fixture does not depend on any library's generator.
    private static double Next(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
