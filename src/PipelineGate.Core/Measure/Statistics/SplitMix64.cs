namespace PipelineGate.Measure.Statistics;

/// <summary>
/// SplitMix64 pseudo-random generator (Steele, Lea &amp; Flood, 2014).
/// </summary>
/// <remarks>
/// Used instead of <see cref="Random"/> because a gate's verdict must be bit-for-bit reproducible
/// from its inputs and seed across .NET versions and platforms, which the BCL does not promise.
/// Its statistical quality is ample for bootstrap resampling. The state is a plain <c>ulong</c> so the
/// bootstrap's hot loop can keep it in a local.
/// </remarks>
internal static class SplitMix64
{
    public static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// Maps a random 64-bit value to [0, n) by multiply-shift of its top 32 bits; the bias (≤ n/2³²) is
    /// negligible for resampling.
    /// </summary>
    public static int ToIndex(ulong random, int n) => (int)(((random >> 32) * (uint)n) >> 32);
}
