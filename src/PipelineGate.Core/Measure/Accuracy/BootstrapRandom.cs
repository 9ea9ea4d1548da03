namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// The seeded generator behind bootstrap resampling: SplitMix64 (Steele, Lea and Flood). System.Random's
/// sequence for a seed is not promised to stay the same across .NET versions; a gate's confidence
/// interval must, so that a rerun on another runner reproduces the report exactly.
/// </summary>
internal sealed class BootstrapRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong Next() => Statistics.SplitMix64.Next(ref _state);

    /// <summary>A uniform integer in [0, bound), without modulo bias (multiply-shift with rejection).</summary>
    public int NextInt(int bound)
    {
        var range = (uint)bound;
        var product = (ulong)(uint)(Next() >> 32) * range;
        var low = (uint)product;
        if (low < range)
        {
            var threshold = (0u - range) % range;
            while (low < threshold)
            {
                product = (ulong)(uint)(Next() >> 32) * range;
                low = (uint)product;
            }
        }

        return (int)(product >> 32);
    }
}
