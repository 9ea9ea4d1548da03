using System.Diagnostics;
using PipelineGate.Measure.Environment;
using PipelineGate.Measure.Inputs;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Size;
using PipelineGate.Measure.Statistics;
using PipelineGate.Onnx.IO;
using PipelineGate.Runtime;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Bench;

/// <summary>
/// Measures one model, or a candidate against a baseline: size, cold start, memory, latency (A/B
/// interleaved when there is a baseline) and optionally throughput. Both models of an A/B run use the
/// same session settings and the same inputs.
/// </summary>
public static class ModelBenchmark
{
    public static BenchResult Run(string candidatePath, string? baselinePath, BenchOptions options, IProgress<(string Phase, double Fraction)>? progress = null)
    {
        var candidateFile = ModelFile.Load(candidatePath);
        var baselineFile = baselinePath is null ? null : ModelFile.Load(baselinePath);

        var candidateCold = ColdStart(candidatePath, options);
        var baselineCold = baselinePath is null ? null : ColdStart(baselinePath, options);

        var peakExact = ProcessMemory.TryResetPeak();
        var before = ProcessMemory.CurrentBytes();
        using var candidate = InferenceSession.Create(candidatePath, options.Session);
        var afterCandidate = ProcessMemory.CurrentBytes();
        var inputs = options.Inputs ?? ModelInputs.Random(candidate, options.Session.FreeDimensions);
        using var candidateRun = candidate.Prepare(inputs);

        InferenceSession? baseline = null;
        PreparedRun? baselineRun = null;
        try
        {
            if (baselinePath is not null)
            {
                baseline = InferenceSession.Create(baselinePath, options.Session);
                baselineRun = baseline.Prepare(inputs);
            }

            LatencySamples candidateSamples;
            LatencySamples? baselineSamples = null;
            ABResult? comparison = null;
            var latencyProgress = progress is null ? null : new Progress<double>(f => progress.Report(("latency", f)));
            if (baselineRun is not null)
            {
                var ab = LatencyEngine.Compare(
                    new PreparedRunTarget("baseline", baselineRun), new PreparedRunTarget("candidate", candidateRun), options.Latency, options.Comparison, latencyProgress);
                (baselineSamples, candidateSamples, comparison) = (ab.Baseline, ab.Candidate, ab.Result);
            }
            else
            {
                candidateSamples = LatencyEngine.Measure(new PreparedRunTarget("candidate", candidateRun), options.Latency, latencyProgress);
            }

            var peak = ProcessMemory.PeakBytes();
            var candidateFacts = Onnx.Facts.ModelInspector.Inspect(candidateFile);
            var candidateResult = new ModelMeasurement
            {
                Path = candidatePath,
                Latency = ToMeasurement(candidateSamples, options),
                ColdStart = candidateCold,
                Memory = new MemoryMeasurement(before, afterCandidate, peak, Math.Max(0, peak - before), candidateFacts.ParameterBytes, peakExact && baseline is null),
                Throughput = options.ThroughputConcurrency > 0 ? Throughput(candidate, inputs, options, progress) : null,
                Size = SizeMeter.Measure(candidateFile, candidateFacts),
            };

            ModelMeasurement? baselineResult = null;
            if (baselineFile is not null && baselineSamples is not null && baseline is not null)
            {
                var baselineFacts = Onnx.Facts.ModelInspector.Inspect(baselineFile);
                baselineResult = new ModelMeasurement
                {
                    Path = baselinePath!,
                    Latency = ToMeasurement(baselineSamples, options),
                    ColdStart = baselineCold!,

                    // Both sessions share the process: only weights are attributable per model here.
                    Memory = new MemoryMeasurement(before, afterCandidate, peak, Math.Max(0, peak - before), baselineFacts.ParameterBytes, false),
                    Throughput = options.ThroughputConcurrency > 0 ? Throughput(baseline, inputs, options, progress) : null,
                    Size = SizeMeter.Measure(baselineFile, baselineFacts),
                };
            }

            return new BenchResult
            {
                Runner = RunnerFingerprint.Capture(options.Session),
                Candidate = candidateResult,
                Baseline = baselineResult,
                Comparison = comparison,
                Settings = new BenchSettings(options.Latency.Duration.TotalSeconds, options.Latency.MinSamples, options.Latency.MaxSamples,
                    options.Latency.BlockSize, options.Comparison.Threshold, options.Comparison.Confidence, baselinePath is not null)
                {
                    MaxExtensions = baselinePath is null ? 0 : options.Latency.MaxExtensions,
                },
            };
        }
        finally
        {
            baselineRun?.Dispose();
            baseline?.Dispose();
        }
    }

    /// <summary>
    /// Latency only, of two models measured interleaved (ABBA blocks, extended while undecided) with the same
    /// session settings and inputs: what a variant is compared with the original model by. Nothing else is
    /// measured, since the caller has each model's own run for cold start, memory and throughput.
    /// </summary>
    public static (LatencyMeasurement Baseline, LatencyMeasurement Candidate, ABResult Comparison) CompareLatency(
        string baselinePath, string candidatePath, BenchOptions options, IProgress<double>? progress = null)
    {
        using var candidate = InferenceSession.Create(candidatePath, options.Session);
        var inputs = options.Inputs ?? ModelInputs.Random(candidate, options.Session.FreeDimensions);
        using var candidateRun = candidate.Prepare(inputs);
        using var baseline = InferenceSession.Create(baselinePath, options.Session);
        using var baselineRun = baseline.Prepare(inputs);
        var ab = LatencyEngine.Compare(
            new PreparedRunTarget("baseline", baselineRun), new PreparedRunTarget("candidate", candidateRun), options.Latency, options.Comparison, progress);
        return (ToMeasurement(ab.Baseline, options), ToMeasurement(ab.Candidate, options), ab.Result);
    }

    private static LatencyMeasurement ToMeasurement(LatencySamples s, BenchOptions options) =>
        new(SampleSummary.Compute(s.Milliseconds, options.Comparison.Confidence), s.Warmup.Iterations, s.Warmup.Settled, s.Elapsed.TotalSeconds, options.KeepSamples ? s.Milliseconds : null);

    private static ColdStartMeasurement ColdStart(string path, BenchOptions options)
    {
        var create = new double[Math.Max(1, options.ColdStartRepeats)];
        var first = new double[create.Length];
        for (var i = 0; i < create.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            using var session = InferenceSession.Create(path, options.Session);
            create[i] = clock.Elapsed.TotalMilliseconds;
            var inputs = options.Inputs ?? ModelInputs.Random(session, options.Session.FreeDimensions);
            using var run = session.Prepare(inputs, preallocateOutputs: false);
            clock.Restart();
            run.Run();
            first[i] = clock.Elapsed.TotalMilliseconds;
        }

        return new ColdStartMeasurement(Quantiles.Median(create), Quantiles.Median(first), create.Length);
    }

    private static ThroughputMeasurement Throughput(InferenceSession session, IReadOnlyDictionary<string, TensorData> inputs, BenchOptions options, IProgress<(string, double)>? progress)
    {
        var concurrency = options.ThroughputConcurrency;
        var runs = Enumerable.Range(0, concurrency).Select(_ => session.Prepare(inputs)).ToArray();
        try
        {
            long total = 0;
            var clock = Stopwatch.StartNew();
            var deadline = options.ThroughputDuration;
            var threads = runs.Select(run => new Thread(() =>
            {
                long n = 0;
                while (clock.Elapsed < deadline)
                {
                    run.Run();
                    n++;
                }

                Interlocked.Add(ref total, n);
            }) { IsBackground = true }).ToArray();
            foreach (var t in threads)
            {
                t.Start();
            }

            foreach (var t in threads)
            {
                t.Join();
            }

            var seconds = clock.Elapsed.TotalSeconds;
            progress?.Report(("throughput", 1));
            return new ThroughputMeasurement(concurrency, total / seconds, total, seconds);
        }
        finally
        {
            foreach (var r in runs)
            {
                r.Dispose();
            }
        }
    }
}
