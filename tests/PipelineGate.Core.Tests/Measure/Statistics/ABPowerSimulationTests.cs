using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Tests.Measure.Statistics;

/// <summary>
/// Detection side of the verdict rule, by seeded simulation on spiky log-normal latencies
/// (σ = 0.15, 2% spikes, 250–400 samples per group, threshold 5%). A separate class so xUnit can run
/// it in parallel with <see cref="ABSimulationTests"/>.
/// </summary>
public sealed class ABPowerSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void Ten_percent_slowdown_is_detected()
    {
        var rates = VerdictSimulation.Run(factor: 1.10, seed: 202);
        output.WriteLine(rates.ToString());
        Assert.True(rates.SlowerRate >= 0.95, rates.ToString());
        Assert.Equal(0, rates.Faster);
    }

    [Fact]
    public void Fifteen_percent_speedup_is_reported_faster()
    {
        var rates = VerdictSimulation.Run(factor: 0.85, seed: 404, repetitions: 50);
        output.WriteLine(rates.ToString());
        Assert.True(rates.FasterRate >= 0.95, rates.ToString());
        Assert.Equal(0, rates.Slower);
    }
}
