using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Bench;
using PipelineGate.Measure.Environment;
using PipelineGate.Measure.Statistics;
using PipelineGate.Report;

namespace PipelineGate.Tests.Report;

/// <summary>
/// A realistic gate run for the report tests: one model with its original and an int8 variant, the
/// cpu target measured against the base branch and cuda skipped; the int8 p90 regressed (failed after
/// a re-measurement), the original p50's interval straddles its budget (warning: undecided), sizes pass exactly,
/// accuracy drops within budget with a McNemar p-value. Timing numbers come from the real statistics
/// over deterministic samples, so the checks agree with the charts.
/// </summary>
internal static class GateResultFixture
{
    private static readonly Lazy<GateResult> Shared = new(Build);

    public static GateResult Result => Shared.Value;

    public static ReportOptions Options { get; } = new()
    {
        ReproduceCommand = "pipelinegate check --baseline-ref origin/main --profile pr",
        ArtifactName = "pipelinegate-report",
    };

    private static GateResult Build()
    {
        var originalCpu = Timing(11.80, 11.80 * 1.047, 0.03, 0.05, 0.05, 101, 102);
        var int8Cpu = Timing(7.05, 7.05 * 1.01, 0.025, 0.04, 0.22, 201, 202, candidateTailShare: 0.22, candidateTailScale: 0.45);
        var cudaSkipped = new TargetResult { Target = "cuda", Status = "skipped", SkipReason = "CUDAExecutionProvider is not available on this runner." };

        var original = new VariantResult
        {
            Name = "original",
            Recipe = [],
            Path = "models/classifier.onnx",
            Size = Size(17_203_416, 15_871_442, 4_290_314),
            BaselineSize = Size(17_199_320, 15_868_015, 4_290_314),
            Accuracy = new AccuracyResult("top1", 0.9731, 2000),
            BaselineAccuracy = new AccuracyResult("top1", 0.9728, 2000),
            Targets = [originalCpu, cudaSkipped],
        };
        var int8 = new VariantResult
        {
            Name = "int8",
            Recipe = ["quantize(mode=dynamic, per-channel)", "fallback(accuracy-aware, max-drop=0.3pp)"],
            Path = ".pipelinegate/cache/classifier.int8.onnx",
            Size = Size(4_812_330, 3_905_771, 4_290_314),
            BaselineSize = Size(4_812_330, 3_905_771, 4_290_314),
            Accuracy = new AccuracyResult("top1", 0.9725, 2000, new PairedChange(-0.0006, -0.0031, 0.0019, 0.62, "McNemar")),
            BaselineAccuracy = new AccuracyResult("top1", 0.9722, 2000, new PairedChange(-0.0006, -0.0030, 0.0018, 0.64, "McNemar")),
            Fidelity = new FidelityResult(0.9915, 0.00031, 0.084, 0.012, 0, 0, 2000),
            Targets = [int8Cpu, cudaSkipped],
            Notes =
            [
                "kept in float: /classifier/head/Gemm (quantizing it alone cost 0.41 pp top-1)",
                "kept in float: /features/stem/Conv_0 (input range too wide for int8 | first layer <stem>)",
            ],
        };

        var checks = new List<CheckResult>
        {
            Absolute("classifier/original/—/file-size/absolute", "original", "—", "file-size", "≤ 20 MB", "bytes", 17_203_416, 20_000_000, 3),
            Exact("classifier/original/—/parameters/regression", "original", "parameters", "no increase vs base", 4_290_314, 4_290_314, 7),
            Latency("classifier/original/cpu/latency.p50/regression", "original", "latency.p50", originalCpu, p90: false, CheckOutcome.Warn, 11),
            Latency("classifier/original/cpu/latency.p90/regression", "original", "latency.p90", originalCpu, p90: true, CheckOutcome.Pass, 12),
            Skipped("classifier/original/cuda/latency.p90/regression", "original", 12),
            Absolute("classifier/int8/—/file-size/absolute", "int8", "—", "file-size", "≤ 6 MB", "bytes", 4_812_330, 6_000_000, 19),
            Absolute("classifier/int8/—/compressed-size/absolute", "int8", "—", "compressed-size", "≤ 5 MB", "bytes", 3_905_771, 5_000_000, 20),
            Accuracy(),
            Latency("classifier/int8/cpu/latency.p50/regression", "int8", "latency.p50", int8Cpu, p90: false, CheckOutcome.Pass, 23),
            Latency("classifier/int8/cpu/latency.p90/regression", "int8", "latency.p90", int8Cpu, p90: true, CheckOutcome.Fail, 24),
            AbsoluteTiming("classifier/int8/cpu/latency.p95/absolute", "int8", int8Cpu, 10.0, 25),
            Skipped("classifier/int8/cuda/latency.p90/regression", "int8", 24),
        };

        return new GateResult
        {
            ToolVersion = "0.1.0",
            ConfigPath = "pipelinegate.yml",
            Profile = "pr",
            StartedAt = new DateTimeOffset(2025, 6, 2, 9, 41, 7, TimeSpan.Zero),
            DurationSeconds = 84.2,
            Runner = Runner(),
            Baseline = new BaselineInfo("ref", "origin/main", "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49"),
            Models = [new ModelResult("classifier", "models/classifier.onnx", [original, int8])],
            Checks = checks,
            Notices =
            [
                new Diagnostic(PgCode.ProviderUnavailable, DiagnosticSeverity.Info, "Target cuda skipped: CUDAExecutionProvider is not available on this runner.", Hint: "Run the gpu profile on a runner with an NVIDIA GPU to measure it."),
                new Diagnostic(PgCode.DataShapeMismatch, DiagnosticSeverity.Warning, "Input 'pixel_values<1x3x224x224>' has a dynamic batch dimension | latency measured with batch = 1 & no padding."),
            ],
        };
    }

    public static RunnerFingerprint Runner() => new()
    {
        CpuModel = "AMD EPYC 9R45 (Zen 5)",
        LogicalCores = 2,
        IsaFlags = ["avx2", "avx512f", "avx512_vnni"],
        Os = "Debian GNU/Linux 12 (bookworm)",
        Architecture = "x64",
        OnnxRuntimeVersion = "1.30.0",
        Provider = "CPU",
        ProviderOptions = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["arena"] = "on" },
        IntraOpThreads = 1,
        InterOpThreads = 1,
        GraphOptimization = "All",
    };

    private static TargetResult Timing(
        double baseMedian, double headMedian, double spread, double baseTailShare, double baseTailScale, ulong baseSeed, ulong headSeed,
        double? candidateTailShare = null, double? candidateTailScale = null)
    {
        var b = FixtureSamples.Latency(baseSeed, 400, baseMedian, spread, baseTailShare, baseTailScale);
        var c = FixtureSamples.Latency(headSeed, 400, headMedian, spread, candidateTailShare ?? baseTailShare, candidateTailScale ?? baseTailScale);
        return new TargetResult
        {
            Target = "cpu",
            Status = "measured",
            BaselineLatency = new LatencyMeasurement(SampleSummary.Compute(b), 50, true, 4.1, b),
            Latency = new LatencyMeasurement(SampleSummary.Compute(c), 50, true, 4.2, c),
            Comparison = ABComparison.Compare(b, c),
        };
    }

    private static global::PipelineGate.Measure.Size.SizeReport Size(long file, long compressed, long parameters) => new()
    {
        FileBytes = file,
        ExternalDataBytes = 0,
        CompressedBytes = compressed,
        ParameterCount = parameters,
        NonzeroParameterCount = parameters - 1_024,
        BytesByType = new Dictionary<string, long>(StringComparer.Ordinal) { ["float32"] = file },
        Macs = 318_502_912,
        MacsComplete = true,
    };

    private static CheckResult Absolute(string id, string variant, string target, string metric, string budget, string unit, double actual, double limit, int line) => new()
    {
        Id = id, Model = "classifier", Variant = variant, Target = target, Metric = metric, Kind = BudgetKind.Absolute,
        BudgetText = budget, Unit = unit, Actual = actual, Reference = limit, Deterministic = true, Outcome = CheckOutcome.Pass,
        Message = $"{metric} is within {budget}.", File = "pipelinegate.yml", Line = line, Column = 9,
    };

    private static CheckResult Exact(string id, string variant, string metric, string budget, double actual, double reference, int line) => new()
    {
        Id = id, Model = "classifier", Variant = variant, Target = "—", Metric = metric, Kind = BudgetKind.Regression,
        BudgetText = budget, Unit = "count", Actual = actual, Reference = reference, Delta = actual - reference,
        Deterministic = true, Outcome = CheckOutcome.Pass,
        Message = $"{metric} unchanged vs base.", File = "pipelinegate.yml", Line = line, Column = 9,
    };

    private static CheckResult Accuracy() => new()
    {
        Id = "classifier/int8/—/accuracy/drop", Model = "classifier", Variant = "int8", Target = "—", Metric = "accuracy",
        Kind = BudgetKind.DropFromOriginal, BudgetText = "drop ≤ 0.5 pp vs original", Unit = "ratio", Actual = 0.9725, Reference = 0.9731,
        Delta = -0.0006, DeltaLower = -0.0031, DeltaUpper = 0.0019, PValue = 0.62, Deterministic = false, Outcome = CheckOutcome.Pass,
        Message = "top1 dropped 0.06 pp from the original (McNemar p = 0.62), within 0.5 pp.", File = "pipelinegate.yml", Line = 21, Column = 9,
    };

    private static CheckResult Latency(string id, string variant, string metric, TargetResult t, bool p90, CheckOutcome outcome, int line)
    {
        var ab = t.Comparison!;
        var ratio = p90 ? ab.P90Ratio : ab.MedianRatio;
        var ci = p90 ? ab.P90RatioInterval : ab.MedianRatioInterval;
        var b = p90 ? t.BaselineLatency!.Summary.P90.Value : t.BaselineLatency!.Summary.Median.Value;
        var c = p90 ? t.Latency!.Summary.P90.Value : t.Latency!.Summary.Median.Value;
        var change = ReportFormatForFixture.Percent(ratio - 1);
        return new CheckResult
        {
            Id = id, Model = "classifier", Variant = variant, Target = "cpu", Metric = metric, Kind = BudgetKind.Regression,
            BudgetText = "≤ +5% vs base", Unit = "ms", Actual = c, Reference = b, Delta = ratio - 1, DeltaIsRelative = true,
            DeltaLower = ci.Lower - 1, DeltaUpper = ci.Upper - 1, PValue = ab.PValueSlower, Deterministic = false, Outcome = outcome,
            Code = outcome is CheckOutcome.Fail or CheckOutcome.Warn ? PgCode.LatencyRegression : null,
            Remeasured = outcome == CheckOutcome.Fail,
            Message = outcome switch
            {
                CheckOutcome.Fail => $"{metric} on cpu is {change} slower than base, beyond the +5% budget with 95% confidence (confirmed by a second measurement).",
                CheckOutcome.Warn => $"{metric} on cpu is {change} slower than base, and its interval reaches past the +5% budget: undecided.",
                _ => $"{metric} on cpu changed {change}, within +5%.",
            },
            File = "pipelinegate.yml", Line = line, Column = 9,
        };
    }

    // The judge's convention for an absolute timing: Reference is the limit, DeltaLower/Upper the value's own interval.
    private static CheckResult AbsoluteTiming(string id, string variant, TargetResult t, double limit, int line)
    {
        var p95 = t.Latency!.Summary.P95;
        return new CheckResult
        {
            Id = id, Model = "classifier", Variant = variant, Target = "cpu", Metric = "latency.p95", Kind = BudgetKind.Absolute,
            BudgetText = "≤ 10 ms", Unit = "ms", Actual = p95.Value, Reference = limit, DeltaLower = p95.Interval!.Value.Lower,
            DeltaUpper = p95.Interval!.Value.Upper, Deterministic = false, Outcome = CheckOutcome.Pass,
            Message = "latency.p95 on cpu is within budget; budget ≤ 10 ms.", File = "pipelinegate.yml", Line = line, Column = 9,
        };
    }

    private static CheckResult Skipped(string id, string variant, int line) => new()
    {
        Id = id, Model = "classifier", Variant = variant, Target = "cuda", Metric = "latency.p90", Kind = BudgetKind.Regression,
        BudgetText = "≤ +5% vs base", Unit = "ms", Deterministic = false, Outcome = CheckOutcome.Skipped,
        Message = "cuda not available on this runner; not measured.", File = "pipelinegate.yml", Line = line, Column = 9,
    };
}
