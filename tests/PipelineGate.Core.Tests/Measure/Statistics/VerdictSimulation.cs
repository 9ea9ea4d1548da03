using System.Globalization;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Tests.Measure.Statistics;

/// <summary>
/// Repeats seeded A/B comparisons on <see cref="LatencyGenerator"/> data and counts verdicts.
/// </summary>
/// <remarks>
/// Uses 500 bootstrap resamples instead of the default 2000 to keep the suite fast: the verdict depends
/// on the bootstrap only through interval endpoints, and rates at 2000 were checked separately to agree
/// within simulation error.
/// </remarks>
internal static class VerdictSimulation
{
    public static readonly ABOptions Options = ABOptions.Default with { Threshold = 0.05, BootstrapResamples = 500 };

    public static Rates Run(
        double factor,
        int seed,
        int repetitions = 200,
        double sigma = LatencyGenerator.Sigma,
        int minCount = 250,
        int maxCount = 400)
    {
        var random = new Random(seed);
        int slower = 0, faster = 0, noiseBand = 0;
        for (var i = 0; i < repetitions; i++)
        {
            var baseline = LatencyGenerator.Sample(random, random.Next(minCount, maxCount + 1), 1.0, sigma);
            var candidate = LatencyGenerator.Sample(random, random.Next(minCount, maxCount + 1), factor, sigma);
            var result = ABComparison.Compare(baseline, candidate, Options with { Seed = i });
            slower += result.Verdict == Verdict.Slower ? 1 : 0;
            faster += result.Verdict == Verdict.Faster ? 1 : 0;
            noiseBand += result.InNoiseBand ? 1 : 0;
        }

        return new Rates(factor, repetitions, slower, faster, noiseBand);
    }

    internal sealed record Rates(double Factor, int Runs, int Slower, int Faster, int NoiseBand)
    {
        public double SlowerRate => (double)Slower / Runs;

        public double FasterRate => (double)Faster / Runs;

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"×{Factor}: Slower {Slower}/{Runs}, Faster {Faster}/{Runs}, Same {Runs - Slower - Faster}/{Runs} (of which noise band {NoiseBand})");
    }
}
