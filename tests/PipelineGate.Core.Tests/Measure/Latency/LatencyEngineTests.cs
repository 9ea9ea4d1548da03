using PipelineGate.Diagnostics;
using PipelineGate.Measure.Latency;
using Xunit;

namespace PipelineGate.Tests.Measure.Latency;

/// <summary>The engine's bookkeeping (budgets, interleaving order, warm-up) with targets that record calls; no timing is asserted.</summary>
public sealed class LatencyEngineTests
{
    private sealed class Recorder(string name, List<string>? log = null) : IInferenceTarget
    {
        public int Calls { get; private set; }

        public string Name => name;

        public void RunOnce()
        {
            Calls++;
            log?.Add(name);
        }
    }

    [Fact]
    public void Min_samples_are_taken_even_when_the_time_budget_is_already_spent()
    {
        var target = new Recorder("a");
        var options = LatencyOptions.Default with { Duration = TimeSpan.FromTicks(1), MinSamples = 37, MaxSamples = 1000 };

        var s = LatencyEngine.Measure(target, options);

        Assert.Equal(37, s.Milliseconds.Length);
        Assert.Equal(37 + s.Warmup.Iterations, target.Calls);
        Assert.All(s.Milliseconds, static ms => Assert.True(ms >= 0));
    }

    [Fact]
    public void Max_samples_bound_the_measurement()
    {
        var s = LatencyEngine.Measure(new Recorder("a"), LatencyOptions.Default with { Duration = TimeSpan.FromHours(1), MinSamples = 1, MaxSamples = 250 });

        Assert.Equal(250, s.Milliseconds.Length);
    }

    [Fact]
    public void Interleaved_runs_alternate_in_ABBA_blocks_and_give_both_the_same_count()
    {
        var log = new List<string>();
        var a = new Recorder("A", log);
        var b = new Recorder("B", log);
        var options = LatencyOptions.Default with { Duration = TimeSpan.FromTicks(1), MinSamples = 8, MaxSamples = 100, BlockSize = 2, WarmupChunk = 3, WarmupMax = TimeSpan.Zero };

        var (sa, sb) = LatencyEngine.MeasureInterleaved(a, b, options);

        Assert.Equal(sa.Milliseconds.Length, sb.Milliseconds.Length);
        var timed = log.Skip(sa.Warmup.Iterations + sb.Warmup.Iterations).ToArray();
        Assert.Equal("AABBBBAAAABBBBAA", string.Concat(timed));
    }

    [Fact]
    public void Warmup_runs_whole_chunks_and_stops_within_its_budget()
    {
        var w = LatencyEngine.Warmup(new Recorder("a"), LatencyOptions.Default with { WarmupChunk = 7, WarmupMax = TimeSpan.Zero });

        Assert.Equal(0, w.Iterations % 7);
        Assert.True(w.Iterations >= 7);
    }

    [Theory]
    [InlineData(0, 10, 100)]
    [InlineData(1, 0, 100)]
    [InlineData(1, 50, 10)]
    public void Inconsistent_options_are_a_coded_error(double seconds, int min, int max)
    {
        var options = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MinSamples = min, MaxSamples = max };

        var ex = Assert.Throws<PipelineGateException>(() => LatencyEngine.Measure(new Recorder("a"), options));

        Assert.Equal(PgCode.ConfigInvalidValue, ex.Code);
    }
}
