using PipelineGate.Diagnostics;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Statistics;
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

    /// <summary>Busy-waits a fixed number of timer ticks, so every timing is positive.</summary>
    private sealed class Spinner(string name, long ticks) : IInferenceTarget
    {
        public string Name => name;

        public void RunOnce()
        {
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + ticks;
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Compare_extends_only_while_undecided_and_at_most_MaxExtensions_times(int maxExtensions)
    {
        var ticks = System.Diagnostics.Stopwatch.Frequency / 200_000; // 5 µs
        var options = LatencyOptions.Default with
        {
            Duration = TimeSpan.FromMilliseconds(5), MinSamples = 60, MaxSamples = 100_000, BlockSize = 5, WarmupMax = TimeSpan.Zero, MaxExtensions = maxExtensions,
        };

        // Threshold 0: the limits are 1 itself, so a Same verdict is practically always undecided.
        var (a, b, r) = LatencyEngine.Compare(new Spinner("A", ticks), new Spinner("B", ticks), options, ABOptions.Default with { Threshold = 0, BootstrapResamples = 200 });

        Assert.InRange(r.Extensions, 0, maxExtensions);
        Assert.Equal(a.Milliseconds.Length, b.Milliseconds.Length);
        Assert.Equal(0, a.Milliseconds.Length % 5);
        Assert.Equal(5, r.Options.BlockSize);
        Assert.Equal(ComparisonMethod.BlockPaired, r.Method);
        Assert.Equal(a.Milliseconds.Length / 5, r.Pairs);
        if (r.Extensions < maxExtensions)
        {
            Assert.False(r.Undecided); // it stopped early only because it was decided
        }
        else if (maxExtensions > 0)
        {
            // Each extension adds at least MinSamples, even if its time budget passed before it started.
            Assert.True(a.Milliseconds.Length >= 60 * (1 + maxExtensions), $"{a.Milliseconds.Length} samples after {r.Extensions} extensions");
        }
    }

    [Theory]
    [InlineData(0, 10, 100)]
    [InlineData(1, 0, 100)]
    [InlineData(1, 50, 10)]
    [InlineData(1, 10, 100, -1)]
    public void Inconsistent_options_are_a_coded_error(double seconds, int min, int max, int extensions = 0)
    {
        var options = LatencyOptions.Default with { Duration = TimeSpan.FromSeconds(seconds), MinSamples = min, MaxSamples = max, MaxExtensions = extensions };

        var ex = Assert.Throws<PipelineGateException>(() => LatencyEngine.Measure(new Recorder("a"), options));

        Assert.Equal(PgCode.ConfigInvalidValue, ex.Code);
    }
}
