namespace PipelineGate.Tests.Measure.Statistics;

/// <summary>
/// Synthetic inference latencies shaped like a shared 2-core CI runner: log-normal body around 10 ms
/// with σ = 0.15 (≈15% spread), 2% scheduler spikes at 2–5× latency, and 1 µs timer resolution (ties).
/// </summary>
internal static class LatencyGenerator
{
    public const double Sigma = 0.15;
    public const double SpikeRate = 0.02;

    public static double[] Sample(Random random, int count, double factor, double sigma = Sigma)
    {
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var latency = 10 * Math.Exp(sigma * StandardNormal(random));
            if (random.NextDouble() < SpikeRate)
            {
                latency *= 2 + (3 * random.NextDouble());
            }

            samples[i] = Math.Round(latency * factor, 3);
        }

        return samples;
    }

    // Box–Muller; one of the pair is discarded for simplicity.
    public static double StandardNormal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
