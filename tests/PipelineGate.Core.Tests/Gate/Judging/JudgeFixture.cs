using PipelineGate.Gate.Config;
using PipelineGate.Gate.Judging;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Bench;
using PipelineGate.Measure.Size;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Tests.Gate.Judging;

/// <summary>
/// Hand-built inputs for <see cref="BudgetJudge"/>: one model, one variant, one cpu target, with synthetic
/// sample sets whose spread and shift are chosen by the test. Nothing here runs a model.
/// </summary>
internal static class JudgeFixture
{
    public static readonly SourceLocation Here = new("pipelinegate.yml", 12, 9);

    public static MeasureConfig Measure { get; } = MeasureConfig.Default; // threshold 5%, confidence 95%

    public static ModelConfig Model(string metric = "top1") => new()
    {
        Name = "m",
        Path = "m.onnx",
        RelativePath = "m.onnx",
        Metric = metric,
        Targets = [],
        Variants = [],
        Budgets = [],
        Measure = Measure,
        Location = Here,
    };

    public static BudgetConfig Max(string metric, double value, UnitDimension d, string text) => new() { Metric = metric, Max = new Quantity(value, d, text), Location = Here };

    public static BudgetConfig Min(string metric, double value, UnitDimension d, string text) => new() { Metric = metric, Min = new Quantity(value, d, text), Location = Here };

    public static BudgetConfig Regression(string metric, double relative) =>
        new() { Metric = metric, MaxRegression = new Quantity(relative, UnitDimension.Relative, $"{relative * 100}%"), Location = Here };

    public static BudgetConfig Drop(double points) =>
        new() { Metric = "accuracy", MaxDrop = new Quantity(points / 100, UnitDimension.PercentagePoints, $"{points} pp"), Location = Here };

    public static VariantResult Variant(TargetResult? target = null, AccuracyResult? accuracy = null, AccuracyResult? baselineAccuracy = null, string name = "original") => new()
    {
        Name = name,
        Recipe = [],
        Path = "m.onnx",
        Size = new SizeReport
        {
            FileBytes = 1000, ExternalDataBytes = 0, CompressedBytes = 900, ParameterCount = 100, NonzeroParameterCount = 100,
            BytesByType = new Dictionary<string, long>(), Macs = 100, MacsComplete = true,
        },
        Accuracy = accuracy,
        BaselineAccuracy = baselineAccuracy,
        Targets = target is null ? [] : [target],
    };

    public static CheckResult Judge(BudgetConfig budget, VariantResult variant, VariantResult? original = null, string metric = "top1")
    {
        var info = MetricCatalog.Find(budget.Metric)!;
        var target = info.PerTarget ? variant.Targets.Single() : null;
        return BudgetJudge.Judge(new JudgeContext(Model(metric), budget, info, variant, original ?? variant, target), Measure);
    }

    /// <summary>A target measured alone (absolute budgets): these samples as its latency.</summary>
    public static TargetResult Measured(double[] samples) => new()
    {
        Target = "cpu",
        Status = "measured",
        Latency = Latency(samples),
    };

    /// <summary>
    /// Baseline and candidate as <c>LatencyEngine.MeasureInterleaved</c> records them: <paramref name="pairs"/> block
    /// pairs of <paramref name="blockSize"/> samples; a load factor shared by both blocks of a pair (the bursts of a
    /// shared machine), independent noise of relative size <paramref name="noise"/> per sample, and the candidate
    /// <paramref name="factor"/> times slower. <paramref name="interleaved"/> false makes it look like a stored
    /// baseline: no comparison, so the samples are judged as independent.
    /// </summary>
    public static TargetResult Paired(double factor, double noise, int pairs, int seed, bool interleaved = true, int blockSize = 10)
    {
        var random = new Random(seed);
        var a = new double[pairs * blockSize];
        var b = new double[pairs * blockSize];
        for (var i = 0; i < pairs; i++)
        {
            var load = Math.Exp(0.1 * Normal(random));
            for (var j = i * blockSize; j < (i + 1) * blockSize; j++)
            {
                a[j] = 2.0 * load * Math.Exp(noise * Normal(random));
                b[j] = 2.0 * load * factor * Math.Exp(noise * Normal(random));
            }
        }

        return new TargetResult
        {
            Target = "cpu",
            Status = "measured",
            BaselineLatency = Latency(a),
            Latency = Latency(b),
            Comparison = interleaved ? ABComparison.Compare(a, b, ABOptions.Default with { BlockSize = blockSize }) : null,
        };
    }

    /// <summary>Independent log-normal samples around <paramref name="median"/> ms.</summary>
    public static double[] Samples(double median, double noise, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => median * Math.Exp(noise * Normal(random))).ToArray();
    }

    public static LatencyMeasurement Latency(double[] samples) => new(SampleSummary.Compute(samples), 0, true, 0, samples);

    private static double Normal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
