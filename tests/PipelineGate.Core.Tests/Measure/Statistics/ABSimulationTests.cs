using Xunit;
using Xunit.Abstractions;

namespace PipelineGate.Tests.Measure.Statistics;

/// <summary>
/// False-alarm side of the verdict rule, by seeded simulation on spiky log-normal latencies
/// (σ = 0.15, 2% spikes, 250–400 samples per group, threshold 5%).
/// </summary>
public sealed class ABSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void AA_comparison_almost_never_reports_slower()
    {
        var rates = Report(VerdictSimulation.Run(factor: 1.0, seed: 101));
        Assert.True(rates.SlowerRate <= 0.02, rates.ToString());
        Assert.True(rates.FasterRate <= 0.02, rates.ToString());
    }

    [Fact]
    public void Two_percent_slowdown_below_threshold_never_fails()
    {
        var rates = Report(VerdictSimulation.Run(factor: 1.02, seed: 303));
        Assert.Equal(0, rates.Slower);
        Assert.Equal(0, rates.Faster);
    }

    [Fact]
    public void AA_with_noise_far_above_threshold_stays_near_half_alpha()
    {
        // σ = 0.6 with 60 samples: the threshold no longer protects, only the significance conditions
        // do, which bound the false-alarm rate by about α/2 = 2.5%.
        var rates = Report(VerdictSimulation.Run(factor: 1.0, seed: 505, sigma: 0.6, minCount: 60, maxCount: 60));
        Assert.True(rates.SlowerRate <= 0.025, rates.ToString());
        Assert.True(rates.FasterRate <= 0.025, rates.ToString());
    }

    private VerdictSimulation.Rates Report(VerdictSimulation.Rates rates)
    {
        output.WriteLine(rates.ToString());
        return rates;
    }
}
