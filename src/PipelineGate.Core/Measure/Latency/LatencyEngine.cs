using System.Diagnostics;
using System.Runtime;

using PipelineGate.Measure.Statistics;

namespace PipelineGate.Measure.Latency;

/// <summary>
/// Times single inferences. Warm-up runs until the timings settle (bounded); the timed phase then
/// records every inference until the time or sample budget is spent. For A/B, the two targets run
/// in alternating blocks in ABBA order on the same thread, so slow drift of the machine (another
/// job starting, thermal or frequency changes) lands on both alike instead of on whichever ran second.
/// </summary>
public static class LatencyEngine
{
    private static readonly double TicksToMs = 1000.0 / Stopwatch.Frequency;

    /// <summary>
    /// Least time between progress reports while timing. A report is not free: callers wrap it in
    /// <see cref="Progress{T}"/>, which queues a thread-pool item that wakes another thread. Reported after
    /// every block pair (every ~50 µs for a small model), that wake-up landed on the first inference of the
    /// next pair: on the digits sample under load it took 120 µs instead of 5 µs, every pair, and since ABBA
    /// order alternates which model goes first, the block-pair ratios split into two modes at ±1.2 in log
    /// space and the median ratio of an A/A comparison came out anywhere from −45% to +76%.
    /// </summary>
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(100);

    public static LatencySamples Measure(IInferenceTarget target, LatencyOptions options, IProgress<double>? progress = null)
    {
        options.Validate();
        var warmup = Warmup(target, options);
        var samples = new List<double>(Math.Min(options.MaxSamples, 4096));
        var clock = Stopwatch.StartNew();
        using (LowLatencyScope())
        {
            var reported = TimeSpan.Zero;
            while (samples.Count < options.MaxSamples && (clock.Elapsed < options.Duration || samples.Count < options.MinSamples))
            {
                samples.Add(TimeOne(target));
                if (progress is not null && clock.Elapsed - reported >= ReportInterval)
                {
                    reported = clock.Elapsed;
                    progress.Report(Progress(clock.Elapsed, options.Duration, samples.Count, options.MaxSamples));
                }
            }
        }

        progress?.Report(1);
        return new LatencySamples(target.Name, [.. samples], warmup, clock.Elapsed);
    }

    /// <summary>Measures baseline and candidate interleaved (ABBA blocks); both get the same number of samples.</summary>
    public static (LatencySamples Baseline, LatencySamples Candidate) MeasureInterleaved(
        IInferenceTarget baseline, IInferenceTarget candidate, LatencyOptions options, IProgress<double>? progress = null)
    {
        options.Validate();
        var warmA = Warmup(baseline, options);
        var warmB = Warmup(candidate, options);
        var a = new List<double>();
        var b = new List<double>();
        var elapsed = RunPairs(baseline, candidate, a, b, options, options.MinSamples, progress);
        return (new LatencySamples(baseline.Name, [.. a], warmA, elapsed / 2), new LatencySamples(candidate.Name, [.. b], warmB, elapsed / 2));
    }

    /// <summary>
    /// Interleaved A/B measurement that extends itself while the comparison is undecided: after the first
    /// <see cref="LatencyOptions.Duration"/>, if <see cref="ABResult.Undecided"/> (one standard error
    /// reaches past a limit), another Duration of block pairs (at least MinSamples) is appended, up to
    /// <see cref="LatencyOptions.MaxExtensions"/> times or <see cref="LatencyOptions.MaxSamples"/>.
    /// Clear cases cost one Duration; only comparisons near the threshold pay for more samples, which is
    /// where more samples change the answer. The comparison always uses the block-paired method
    /// (<see cref="ABOptions.BlockSize"/> is set from <paramref name="options"/>).
    /// </summary>
    /// <remarks>
    /// Looking again after an undecided result is a sequential test, which can raise the false-alarm rate
    /// above that of one look. The looks are few (≤ 1 + MaxExtensions) and the Slower rule needs a 95%
    /// interval above 1 and one standard error above the threshold at the last look; the A/A runs in
    /// docs/performance.md measure the resulting rate on this machine.
    /// </remarks>
    public static InterleavedComparison Compare(
        IInferenceTarget baseline, IInferenceTarget candidate, LatencyOptions options, ABOptions comparison, IProgress<double>? progress = null)
    {
        options.Validate();
        comparison = comparison with { BlockSize = options.BlockSize };
        var warmA = Warmup(baseline, options);
        var warmB = Warmup(candidate, options);
        var a = new List<double>();
        var b = new List<double>();
        var rounds = 1 + options.MaxExtensions;
        var elapsed = TimeSpan.Zero;
        ABResult result;
        var extensions = 0;
        while (true)
        {
            var round = extensions;
            var roundProgress = progress is null ? null : new Progress<double>(f => progress.Report((round + f) / rounds));
            // Every round, extensions included, takes at least MinSamples per model: on a loaded machine a
            // round's time budget can pass before its first block, and an extension must add evidence.
            elapsed += RunPairs(baseline, candidate, a, b, options, options.MinSamples, roundProgress);
            result = ABComparison.Compare([.. a], [.. b], comparison);
            if (!result.Undecided || extensions >= options.MaxExtensions || a.Count >= options.MaxSamples)
            {
                break;
            }

            extensions++;
        }

        progress?.Report(1);
        return new InterleavedComparison(
            new LatencySamples(baseline.Name, [.. a], warmA, elapsed / 2),
            new LatencySamples(candidate.Name, [.. b], warmB, elapsed / 2),
            result with { Extensions = extensions });
    }

    /// <summary>Appends ABBA block pairs until Duration per model is spent (and at least minSamples each) or MaxSamples.</summary>
    private static TimeSpan RunPairs(IInferenceTarget baseline, IInferenceTarget candidate, List<double> a, List<double> b, LatencyOptions options, int minSamples, IProgress<double>? progress)
    {
        var budget = options.Duration * 2;
        var start = a.Count;
        var clock = Stopwatch.StartNew();
        var pair = 0;
        var reported = TimeSpan.Zero;
        using (LowLatencyScope())
        {
            while (a.Count < options.MaxSamples && (clock.Elapsed < budget || a.Count - start < minSamples))
            {
                // ABBA: alternate which target goes first in each pair of blocks, cancelling linear drift within a pair.
                var first = (pair & 1) == 0;
                RunBlock(first ? baseline : candidate, first ? a : b, options.BlockSize);
                RunBlock(first ? candidate : baseline, first ? b : a, options.BlockSize);
                pair++;
                if (progress is not null && clock.Elapsed - reported >= ReportInterval)
                {
                    reported = clock.Elapsed;
                    progress.Report(Progress(clock.Elapsed, budget, a.Count, options.MaxSamples));
                }
            }
        }

        progress?.Report(1);
        return clock.Elapsed;
    }

    /// <summary>Runs chunks until two consecutive chunk medians agree within the tolerance, or the warm-up budget is spent.</summary>
    public static WarmupResult Warmup(IInferenceTarget target, LatencyOptions options)
    {
        var clock = Stopwatch.StartNew();
        var chunk = new double[options.WarmupChunk];
        var previous = double.NaN;
        var iterations = 0;
        while (true)
        {
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = TimeOne(target);
            }

            iterations += chunk.Length;
            var median = Quantiles.Median(chunk);
            if (!double.IsNaN(previous) && Math.Abs(median - previous) <= options.WarmupTolerance * previous)
            {
                return new WarmupResult(iterations, true, median);
            }

            if (clock.Elapsed > options.WarmupMax)
            {
                return new WarmupResult(iterations, false, median);
            }

            previous = median;
        }
    }

    private static void RunBlock(IInferenceTarget target, List<double> into, int count)
    {
        for (var i = 0; i < count; i++)
        {
            into.Add(TimeOne(target));
        }
    }

    private static double TimeOne(IInferenceTarget target)
    {
        var start = Stopwatch.GetTimestamp();
        target.RunOnce();
        return (Stopwatch.GetTimestamp() - start) * TicksToMs;
    }

    private static double Progress(TimeSpan elapsed, TimeSpan budget, int samples, int maxSamples) =>
        Math.Min(1, Math.Max(elapsed / budget, samples / (double)maxSamples));

    /// <summary>Asks the GC to avoid blocking collections while timing; restored afterwards.</summary>
    private static GcModeScope LowLatencyScope()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return new GcModeScope();
    }

    private sealed class GcModeScope : IDisposable
    {
        private readonly GCLatencyMode _previous = GCSettings.LatencyMode;

        public GcModeScope() => GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;

        public void Dispose() => GCSettings.LatencyMode = _previous;
    }
}
