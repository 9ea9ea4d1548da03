using PipelineGate.Diagnostics;
using PipelineGate.Gate.Baselines;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Config.Parsing;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Bench;
using PipelineGate.Measure.Evaluation;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Size;
using PipelineGate.Measure.Statistics;
using PipelineGate.Measure.Text;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Runtime;
using PipelineGate.Tensors;

namespace PipelineGate.Gate;

/// <summary>Builds and measures every variant of one model (and the baseline's variants), target by target.</summary>
internal sealed class VariantMeasurer(
    GateConfig config,
    ModelConfig model,
    GateRunOptions options,
    string? baselineModelPath,
    StoredBaseline? stored,
    bool storedTimingsComparable,
    IProgress<GateProgress>? progress,
    List<Diagnostic> notices)
{
    private readonly Dictionary<string, (string Candidate, string? Baseline)> _paths = new(StringComparer.Ordinal);
    private EvaluationResult? _originalEvaluation;
    private PairSimilarityResult? _originalPairs;
    private IReadOnlyList<SentencePair>? _pairs;

    public List<VariantResult> MeasureAll()
    {
        if (model.Data is null && model.Pairs is null && SymbolicDims.Filled(ModelFile.Load(model.Path), model.Dims) is { Count: > 0 } filled)
        {
            notices.Add(SymbolicDims.Notice(model.Name, filled, model.Location));
        }

        var variants = new List<VariantResult>();
        foreach (var variant in model.Variants)
        {
            variants.Add(Measure(variant));
        }

        return variants;
    }

    public VariantResult Remeasure(VariantResult result, string target)
    {
        var targetConfig = model.Targets.First(t => t.Name == target);
        var (candidate, baseline) = _paths[result.Name];
        var fresh = MeasureTarget(result.Name, targetConfig, candidate, baseline);
        return result with { Targets = result.Targets.Select(t => t.Target == target ? fresh : t).ToArray() };
    }

    private VariantResult Measure(VariantConfig variant)
    {
        Report(variant.Name, "build", 0);
        var log = new BuildLog(this, variant.Name);
        var context = new OptimizationContext(Path.GetDirectoryName(config.Path)!, model.Data, log);
        var cache = options.VariantCache ?? Path.Combine(options.WorkDirectory, "variants", model.Name);
        var (candidatePath, notes) = VariantBuilder.Build(model.Path, variant, cache, context, options.ToolVersion);
        string? baselinePath = null;
        if (baselineModelPath is not null)
        {
            try
            {
                baselinePath = VariantBuilder.Build(baselineModelPath, variant, Path.Combine(cache, "baseline"), context, options.ToolVersion).Path;
            }
            catch (PipelineGateException ex)
            {
                notices.Add(new Diagnostic(PgCode.BaselineUnavailable, DiagnosticSeverity.Warning,
                    $"Variant '{variant.Name}' of the baseline of '{model.Name}' could not be built ({ex.Diagnostic.Message}); its regressions are not checked.", config.Path));
            }
        }

        Report(variant.Name, "build", 1);

        _paths[variant.Name] = (candidatePath, baselinePath);
        var size = SizeMeter.Measure(ModelFile.Load(candidatePath));
        var baselineSize = baselinePath is not null ? SizeMeter.Measure(ModelFile.Load(baselinePath)) : stored?.Size(model.Name, variant.Name);

        var (accuracy, fidelity, baselineAccuracy) = Evaluate(variant, candidatePath, baselinePath);
        var (similarity, baselineSimilarity) = EvaluatePairs(variant, candidatePath, baselinePath);
        var targets = model.Targets.Select(t => MeasureTarget(variant.Name, t, candidatePath, baselinePath)).ToArray();
        return new VariantResult
        {
            Name = variant.Name,
            Recipe = variant.Steps.Select(static s => s.ToString()).ToArray(),
            Path = candidatePath,
            Size = size,
            BaselineSize = baselineSize,
            Accuracy = accuracy,
            BaselineAccuracy = baselineAccuracy,
            Fidelity = fidelity,
            Similarity = similarity,
            BaselineSimilarity = baselineSimilarity,
            Targets = targets,
            Notes = notes,
        };
    }

    private (AccuracyResult? Accuracy, FidelityResult? Fidelity, AccuracyResult? Baseline) Evaluate(VariantConfig variant, string candidatePath, string? baselinePath)
    {
        if (model.Data is null)
        {
            return (null, null, stored?.Accuracy(model.Name, variant.Name));
        }

        Report(variant.Name, "accuracy", 0);
        var session = EvaluationSession();
        var result = ModelEvaluator.Evaluate(candidatePath, model.Data, model.Metric, session, new Fraction(this, variant.Name, "accuracy"));
        if (variant.IsOriginal)
        {
            _originalEvaluation = result;
        }

        AccuracyResult? accuracy = double.IsNaN(result.Value) ? null : WithInterval(new AccuracyResult(model.Metric, result.Value, result.Samples, PairedWithOriginal(variant, result)), result);
        FidelityResult? fidelity = null;
        if (!variant.IsOriginal && _originalEvaluation is { } original && result.FidelityAgainst(original) is { } f)
        {
            fidelity = new FidelityResult(f.Top1Agreement, f.MeanKlDivergence, f.MaxAbsDifference, f.RelativeL2, f.CandidateNaNCount, f.CandidateInfCount, (int)f.Rows)
            {
                MeanCosine = f.MeanCosineSimilarity,
                MinCosine = f.MinCosineSimilarity,
                NearestNeighbourAgreement = f.NearestNeighbourAgreement,
            };
        }

        AccuracyResult? baseline = null;
        if (baselinePath is not null)
        {
            var b = ModelEvaluator.Evaluate(baselinePath, model.Data, model.Metric, session);
            baseline = double.IsNaN(b.Value) ? null : WithInterval(new AccuracyResult(model.Metric, b.Value, b.Samples), b);
            if (accuracy is not null && baseline is not null && Paired(b, result) is { } change)
            {
                accuracy = accuracy with { ChangeFromBaseline = change };
            }
        }
        else
        {
            baseline = stored?.Accuracy(model.Name, variant.Name);
        }

        return (accuracy, fidelity, baseline);
    }

    /// <summary>
    /// <c>similarity.spearman</c> on the model's labelled pairs: ρ with its bootstrap interval over the pairs, and the
    /// paired change (same resampled pairs) from the original and from the baseline's variant measured in this run.
    /// </summary>
    private (AccuracyResult? Similarity, AccuracyResult? Baseline) EvaluatePairs(VariantConfig variant, string candidatePath, string? baselinePath)
    {
        if (model.Pairs is not { } config)
        {
            return (null, stored?.Similarity(model.Name, variant.Name));
        }

        Report(variant.Name, "similarity", 0);
        var pairs = _pairs ??= SentencePairs.Read(config.Path);
        var scores = pairs.Select(static p => p.Score).ToArray();
        var session = EvaluationSession();
        PairSimilarityResult Run(string path) =>
            PairSimilarity.Evaluate(path, pairs, config.Path, config.Tokenizer, config.MaxLength ?? EvalDataOptions.DefaultMaxLength, session, config.Output);

        var result = Run(candidatePath);
        if (variant.IsOriginal)
        {
            _originalPairs = result;
        }

        var change = variant.IsOriginal || _originalPairs is not { } original ? null : PairedSpearman(original, result, scores);
        var similarity = Similarity(result, scores, change);
        AccuracyResult? baseline;
        if (baselinePath is not null)
        {
            var b = Run(baselinePath);
            baseline = Similarity(b, scores, null);
            if (similarity is not null && baseline is not null)
            {
                similarity = similarity with { ChangeFromBaseline = PairedSpearman(b, result, scores) };
            }
        }
        else
        {
            baseline = stored?.Similarity(model.Name, variant.Name);
        }

        Report(variant.Name, "similarity", 1);
        return (similarity, baseline);
    }

    private static AccuracyResult? Similarity(PairSimilarityResult result, double[] scores, PairedChange? change)
    {
        if (double.IsNaN(result.Spearman))
        {
            return null;
        }

        var ci = SpearmanBootstrap.Interval(result.Cosines, scores);
        return new AccuracyResult(BudgetRules.Spearman, result.Spearman, result.Pairs, change) { Lower = ci.Lower, Upper = ci.Upper };
    }

    /// <summary>ρ of <paramref name="result"/> minus ρ of <paramref name="reference"/> on the same pairs, with the paired bootstrap interval.</summary>
    private static PairedChange PairedSpearman(PairSimilarityResult reference, PairSimilarityResult result, double[] scores)
    {
        var p = SpearmanBootstrap.Paired(reference.Cosines, result.Cosines, scores);
        return new PairedChange(p.Difference, p.Interval.Lower, p.Interval.Upper, null, PairedSpearmanTest);
    }

    /// <summary>What <see cref="PairedChange.Test"/> says for a difference of Spearman's ρ.</summary>
    public const string PairedSpearmanTest = "paired bootstrap";

    private PairedChange? PairedWithOriginal(VariantConfig variant, EvaluationResult result) =>
        variant.IsOriginal || _originalEvaluation is not { } original ? null : Paired(original, result);

    /// <summary>Top-1 correctness of <paramref name="result"/> against <paramref name="reference"/> on the same samples.</summary>
    private static PairedChange? Paired(EvaluationResult reference, EvaluationResult result)
    {
        if (result.PairedAccuracyAgainst(reference) is not { } p)
        {
            return null;
        }

        return new PairedChange(p.DifferencePoints / 100, p.Interval.Lower / 100, p.Interval.Upper / 100, p.McNemar.PValue, "McNemar");
    }

    /// <summary>
    /// The interval of a top-1 accuracy over its samples, which budgets on it are judged by (an evaluation set is
    /// a sample too). Only for top1: the per-sample correctness the evaluator keeps is top-1 correctness.
    /// </summary>
    private static AccuracyResult WithInterval(AccuracyResult accuracy, EvaluationResult result)
    {
        if (accuracy.Metric != "top1" || result.Correct is not { Length: > 0 } correct)
        {
            return accuracy;
        }

        var ci = ProportionInterval.Of(correct);
        return accuracy with { Lower = ci.Lower, Upper = ci.Upper };
    }

    private TargetResult MeasureTarget(string variant, TargetConfig target, string candidatePath, string? baselinePath)
    {
        var session = SessionConfig.Default with
        {
            Provider = target.Provider, IntraOpThreads = target.Threads, ProviderOptions = target.ProviderOptions,
            FreeDimensions = model.Data is null && model.Pairs is null ? model.Dims : SessionConfig.Default.FreeDimensions,
            CustomOpLibraries = model.CustomOpLibraries,
        };
        if (target.Provider != ExecutionProvider.Cpu)
        {
            var probe = ExecutionProviders.Probe(target.Provider);
            if (!probe.Available)
            {
                if (target.Required)
                {
                    throw new PipelineGateException(PgCode.ProviderUnavailable,
                        $"Target '{target.Name}' is required, but its provider cannot load on this runner: {probe.Detail}",
                        target.Location.File, target.Location.Line, target.Location.Column,
                        hint: "Run on a runner with that accelerator, with the GPU flavour of the tool (PipelineGate.Tool.Gpu) and the CUDA 13 + cuDNN 9 libraries, or set 'required: false'. `pipelinegate doctor` shows which providers load.");
                }

                var reason = $"{ExecutionProviders.Name(target.Provider)} is not available on this runner";
                if (!notices.Any(n => n.Code == PgCode.TargetSkipped && n.Message.Contains($"'{target.Name}'", StringComparison.Ordinal)))
                {
                    notices.Add(new Diagnostic(PgCode.TargetSkipped, DiagnosticSeverity.Info,
                        $"Target '{target.Name}' was skipped: {reason} ({probe.Detail}). Its budgets are reported as skipped.",
                        target.Location.File, target.Location.Line, target.Location.Column, "Mark it 'required: true' to make this an error."));
                }

                return new TargetResult { Target = target.Name, Status = "skipped", SkipReason = reason };
            }
        }

        Report(variant, $"latency on {target.Name}", 0);
        var measure = model.Measure;
        var needsThroughput = measure.Concurrency > 0 || model.Budgets.Any(static b => b.Metric == "throughput");
        var bench = new BenchOptions
        {
            Session = session,
            Latency = LatencyOptions.Default with { Duration = measure.Duration, MinSamples = measure.MinSamples, MaxSamples = measure.MaxSamples, MaxExtensions = measure.Extensions },
            Comparison = ABOptions.Default with { Threshold = ExtensionThreshold(measure), Confidence = measure.Confidence },
            Inputs = TimingInputs.From(candidatePath, model.Data, model.Pairs, FirstPair(), session),
            ThroughputConcurrency = needsThroughput ? Math.Max(measure.Concurrency, 2) : 0,
        };
        var result = ModelBenchmark.Run(candidatePath, baselinePath, bench, new Progress(this, variant, target.Name));
        var storedLatency = baselinePath is null && storedTimingsComparable ? stored?.Latency(model.Name, variant, target.Name, measure.Confidence) : null;
        var vsOriginal = variant == VariantConfig.OriginalName ? null : ComparedWithOriginal(variant, target.Name, candidatePath, bench, measure);
        return new TargetResult
        {
            Target = target.Name,
            Status = "measured",
            Latency = result.Candidate.Latency,
            BaselineLatency = result.Baseline?.Latency ?? storedLatency,
            Comparison = result.Comparison,
            ColdStart = result.Candidate.ColdStart,
            Memory = result.Candidate.Memory,
            Throughput = result.Candidate.Throughput,
            BaselineColdStart = result.Baseline?.ColdStart,
            BaselineMemory = result.Baseline?.Memory,
            BaselineThroughput = result.Baseline?.Throughput,
            VsOriginal = vsOriginal,
        };
    }

    /// <summary>
    /// The first labelled pair, for timing a model that has only pairs: from the pairs the similarity evaluation read
    /// (once per run, before any target is timed), so timing reads no file and a malformed record stays that
    /// evaluation's error (PG2053/PG2054/PG2055), reported as before.
    /// </summary>
    private SentencePair? FirstPair() => model.Pairs is { } pairs ? (_pairs ??= SentencePairs.Read(pairs.Path))[0] : null;

    /// <summary>
    /// The variant timed interleaved with the original model, as a base-branch baseline is: what says whether the
    /// optimization paid on this runner (the PG4006 notice) and what `vs: original` budgets are judged by. Extended
    /// while undecided against the tightest such budget of the variant, else measure.threshold.
    /// </summary>
    private OriginalComparison ComparedWithOriginal(string variant, string target, string candidatePath, BenchOptions bench, MeasureConfig measure)
    {
        var limits = model.Budgets
            .Where(b => b.VsOriginal && b.Variant == variant && b.Metric is "latency.p50" or "latency.mean" && b.MaxRegression is { Dimension: UnitDimension.Relative or UnitDimension.Ratio })
            .Select(static b => b.MaxRegression!.Value.Value)
            .ToArray();
        var options = bench with { Comparison = bench.Comparison with { Threshold = limits.Length > 0 ? Math.Min(limits.Min(), measure.Threshold) : measure.Threshold } };
        var (original, candidate, comparison) = ModelBenchmark.CompareLatency(model.Path, candidatePath, options,
            new Progress<double>(f => Report(variant, $"latency vs original on {target}", f)));
        return new OriginalComparison(original, candidate, comparison);
    }

    /// <summary>
    /// The limit an undecided comparison is extended against: the tightest relative latency regression
    /// budget of this model (the one the judge will apply), else the measure threshold.
    /// </summary>
    private double ExtensionThreshold(MeasureConfig measure)
    {
        var limits = model.Budgets
            .Where(static b => !b.VsOriginal && b.Metric is "latency.p50" or "latency.mean" && b.MaxRegression is { Dimension: UnitDimension.Relative or UnitDimension.Ratio })
            .Select(static b => b.MaxRegression!.Value.Value)
            .ToArray();
        return limits.Length > 0 ? limits.Min() : measure.Threshold;
    }

    private SessionConfig EvaluationSession()
    {
        var cpu = model.Targets.FirstOrDefault(static t => t.Provider == ExecutionProvider.Cpu);
        return SessionConfig.Default with { IntraOpThreads = cpu?.Threads ?? 1, CustomOpLibraries = model.CustomOpLibraries };
    }

    private void Report(string variant, string phase, double fraction, string? detail = null) => progress?.Report(new GateProgress(model.Name, variant, phase, fraction, detail));

    /// <summary>An optimization step's messages (calibration, fallback search) as details of the build phase.</summary>
    private sealed class BuildLog(VariantMeasurer owner, string variant) : IProgress<string>
    {
        public void Report(string value) => owner.Report(variant, "build", 0, value);
    }

    private sealed class Fraction(VariantMeasurer owner, string variant, string phase) : IProgress<double>
    {
        public void Report(double value) => owner.Report(variant, phase, value);
    }

    private sealed class Progress(VariantMeasurer owner, string variant, string target) : IProgress<(string Phase, double Fraction)>
    {
        public void Report((string Phase, double Fraction) value) => owner.Report(variant, $"{value.Phase} on {target}", value.Fraction);
    }
}
