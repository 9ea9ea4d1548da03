using System.Diagnostics;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Baselines;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Isolation;
using PipelineGate.Gate.Judging;
using PipelineGate.Gate.Results;
using PipelineGate.Gate.Signature;
using PipelineGate.Measure.Environment;
using PipelineGate.Onnx.Facts;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize;
using PipelineGate.Runtime;

namespace PipelineGate.Gate;

/// <summary>
/// The gate: for every model (of this shard), build each variant, measure it (and its baseline) on
/// each target, judge every budget, and re-measure a failing timing once before the failure stands.
/// Nothing here writes report files; <see cref="GateResult"/> is the whole outcome.
/// </summary>
public static class GateRunner
{
    public static GateResult Run(GateConfig config, GateRunOptions options, IProgress<GateProgress>? progress = null)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        config = config.WithProfile(options.Profile);
        var notices = new List<Diagnostic>();

        var models = config.Models.Where((_, i) => options.Shard is not { } s || i % s.Count == s.Index - 1)
            .Where(m => options.OnlyModel is null || m.Name == options.OnlyModel).ToArray();
        var (baselineInfo, refModels, stored) = ResolveBaseline(config, options, notices);
        var runner = RunnerFingerprint.Capture(SessionConfig.Default);
        var diffs = stored?.RunnerDifferences(runner) ?? [];
        if (diffs.Count > 0)
        {
            notices.Add(new Diagnostic(PgCode.IncomparableRunner, DiagnosticSeverity.Warning,
                $"The stored baseline was measured on a different runner ({string.Join("; ", diffs)}): timing regressions against it are skipped; size and accuracy are still compared.",
                stored!.Path, Hint: "Store baselines per runner type, or use --baseline-ref to measure both in this run."));
        }

        var timingsComparable = diffs.Count == 0;
        var modelResults = new List<ModelResult>();
        var checks = new List<CheckResult>();
        var ratchet = options.Profile is { } name && config.Profiles.TryGetValue(name, out var prof) && prof.Ratchet && stored is not null ? prof : null;
        var kernels = OrtKernelTable.For(runner.OnnxRuntimeVersion);
        if (kernels is null)
        {
            notices.Add(new Diagnostic(PgCode.KernelTableMissing, DiagnosticSeverity.Info,
                $"PipelineGate has no kernel table for ONNX Runtime {runner.OnnxRuntimeVersion}: opset, IR-version and provider-kernel checks are skipped.", config.Path,
                Hint: "Run with the ONNX Runtime this PipelineGate release pins, or add a table under src/PipelineGate.Core/Gate/Signature."));
        }

        foreach (var model in models)
        {
            // A worker runs this same loop for its one model (signature gate included) and reports back.
            if (options.Isolation is { } isolation)
            {
                MeasureIsolated(model, isolation, options, progress, modelResults, checks, notices);
                continue;
            }

            // The signature gate first: deterministic, and a model the runtime cannot load is not measured.
            var proto = ModelFile.Load(model.Path).Model;
            var signature = ModelSignature.Of(proto);
            var loadability = kernels is null ? [] : TargetCompatibility.Loadability(model, proto, kernels);
            var baselineSignature = BaselineSignature(model, refModels, stored, notices);
            checks.AddRange(SignatureGate.Judge(model, signature, baselineSignature, BaselineLabel(baselineInfo), notices));
            var baselineModel = refModels?.PathFor(model.Name);
            if (baselineModel is not null && baselineSignature is not null && SignatureDiff.Compare(baselineSignature, signature).Any(static c => c.Side == "input"))
            {
                // Baseline and candidate are measured on the same inputs; with other inputs that cannot be done.
                baselineModel = null;
                notices.Add(new Diagnostic(PgCode.BaselineUnavailable, DiagnosticSeverity.Warning,
                    $"The inputs of model '{model.Name}' changed against the baseline, so the two cannot be measured on the same inputs: its regression budgets are skipped this time (the signature check above says what changed).",
                    config.Path, model.Location.Line, model.Location.Column, "Absolute budgets still apply; regressions are compared again once the base branch has the new inputs."));
            }

            if (loadability.Count > 0)
            {
                modelResults.Add(new ModelResult(model.Name, model.Path, []) { Signature = signature });
                checks.AddRange(loadability);
                continue;
            }

            var measurer = new VariantMeasurer(config, model, options, baselineModel, stored, timingsComparable, progress, notices);
            var variants = measurer.MeasureAll();
            modelResults.Add(new ModelResult(model.Name, model.Path, variants) { Signature = signature });
            var judged = ratchet is null ? model : model with { Budgets = [.. model.Budgets, .. RatchetBudgets(model, ratchet, timingsComparable)] };
            checks.AddRange(JudgeWithRemeasure(judged, variants, measurer).Select(c => IsRatchet(c, ratchet) ? AsRatchet(c) : c));
            notices.AddRange(SlowerThanOriginal.Notices(model, variants));
            if (kernels is not null)
            {
                // The original is the file loaded above for its signature; only built variants are read again.
                checks.AddRange(variants.SelectMany(v => TargetCompatibility.Kernels(model, v.Name, v.Path == model.Path ? proto : ModelFile.Load(v.Path).Model, kernels)));
            }
        }

        return new GateResult
        {
            ToolVersion = options.ToolVersion,
            ConfigPath = config.Path,
            Profile = options.Profile,
            StartedAt = started,
            DurationSeconds = clock.Elapsed.TotalSeconds,
            Runner = runner,
            Baseline = baselineInfo,
            Models = modelResults,
            Checks = Order(checks),
            Notices = notices,
            Shard = options.Shard is { } sh ? $"{sh.Index}/{sh.Count}" : null,
            WarnOnly = options.WarnOnly,
        };
    }

    /// <summary>The baseline's signature of a model: from the model at the baseline ref, or from the stored results.</summary>
    private static ModelSignature? BaselineSignature(ModelConfig model, BaselineModels? refModels, StoredBaseline? stored, List<Diagnostic> notices)
    {
        if (refModels?.PathFor(model.Name) is { } path)
        {
            try
            {
                return ModelSignature.Of(ModelFile.Load(path).Model);
            }
            catch (PipelineGateException)
            {
                return null; // the baseline's own notice (BaselineUnavailable) already says why
            }
        }

        if (stored is not null && stored.HasModel(model.Name) && stored.Signature(model.Name) is null)
        {
            notices.Add(new Diagnostic(PgCode.SignatureBaselineMissing, DiagnosticSeverity.Info,
                $"The stored baseline '{stored.Path}' has no signature for model '{model.Name}' (written before PipelineGate stored signatures): its inputs and outputs are not compared this time.",
                stored.Path, Hint: "Save the baseline again with 'pipelinegate baseline save' (or let the next release store it) to compare signatures."));
        }

        return stored?.Signature(model.Name);
    }

    private static string BaselineLabel(BaselineInfo b) => b.Kind switch
    {
        "ref" => $"the baseline {b.Ref}{(b.Commit is { Length: >= 7 } c ? " @ " + c[..7] : string.Empty)}",
        "results" => $"the stored results '{b.ResultsPath}'",
        _ => "the baseline",
    };

    /// <summary>
    /// One model measured by a worker process: its results, checks and notices join this run's; a crash or
    /// hang of the worker becomes an error notice (the run exits 3) and the next model is measured. A coded
    /// error that stopped the worker (a broken model file, a missing provider) stops the gate as it would in process.
    /// </summary>
    private static void MeasureIsolated(ModelConfig model, ModelIsolation isolation, GateRunOptions options, IProgress<GateProgress>? progress,
        List<ModelResult> modelResults, List<CheckResult> checks, List<Diagnostic> notices)
    {
        var outcome = ModelWorker.Run(model, isolation, Path.Combine(options.WorkDirectory, "workers"), progress);
        if (outcome.StoppedBy.Count > 0)
        {
            throw outcome.StoppedBy.Count == 1 ? new PipelineGateException(outcome.StoppedBy[0]) : new ConfigException(outcome.StoppedBy);
        }

        if (outcome.Failure is { } failure)
        {
            notices.Add(failure);
            return;
        }

        var result = outcome.Result!;
        modelResults.AddRange(result.Models);
        checks.AddRange(result.Checks);
        notices.AddRange(result.Notices.Where(n => !notices.Contains(n)));
    }

    /// <summary>
    /// A ratcheting profile (release) adds "never worse than the last release" budgets for every variant:
    /// file size and parameters exactly, accuracy exactly, and median latency through the statistics
    /// (when the stored timings come from a comparable runner).
    /// </summary>
    private static IEnumerable<BudgetConfig> RatchetBudgets(ModelConfig model, ProfileConfig profile, bool timingsComparable)
    {
        BudgetConfig Budget(string metric, Quantity limit) => new() { Metric = metric, MaxRegression = limit, Location = profile.Location };
        yield return Budget("file-size", new Quantity(0, UnitDimension.Bytes, "0"));
        yield return Budget("parameters", new Quantity(0, UnitDimension.Count, "0"));
        if (model.Data?.Labels is not null)
        {
            yield return Budget("accuracy", new Quantity(0, UnitDimension.PercentagePoints, "0 pp"));
        }

        if (model.Pairs is not null)
        {
            yield return Budget("similarity.spearman", new Quantity(0, UnitDimension.PercentagePoints, "0 pp"));
        }

        if (timingsComparable)
        {
            yield return Budget("latency.p50", new Quantity(model.Measure.Threshold, UnitDimension.Relative, $"{model.Measure.Threshold * 100:0.#}%"));
        }
    }

    private static bool IsRatchet(CheckResult c, ProfileConfig? ratchet) =>
        ratchet is not null && c.File == ratchet.Location.File && c.Line == ratchet.Location.Line && c.Column == ratchet.Location.Column && c.Kind == BudgetKind.Regression;

    private static CheckResult AsRatchet(CheckResult c) => c with
    {
        Code = c.Outcome is CheckOutcome.Fail or CheckOutcome.Warn ? PgCode.RatchetRegression : null,
        BudgetText = c.BudgetText + " (release ratchet)",
    };

    /// <summary>Failures first, then warnings, passes, skips; stable within each group.</summary>
    public static IReadOnlyList<CheckResult> Order(IEnumerable<CheckResult> checks) =>
        checks.Select((c, i) => (c, i)).OrderBy(static x => x.c.Outcome switch { CheckOutcome.Fail => 0, CheckOutcome.Warn => 1, CheckOutcome.Pass => 2, _ => 3 })
            .ThenBy(static x => x.i).Select(static x => x.c).ToArray();

    private static List<CheckResult> JudgeWithRemeasure(ModelConfig model, List<VariantResult> variants, VariantMeasurer measurer)
    {
        var checks = Judge(model, variants);
        var failingTimings = checks.Where(static c => c.Outcome == CheckOutcome.Fail && MetricCatalog.Find(c.Metric) is { Timing: true })
            .Select(static c => (c.Variant, c.Target)).Distinct().ToArray();
        if (failingTimings.Length == 0 || model.Measure.Remeasure <= 0)
        {
            return checks;
        }

        // A failing timing is measured again; the second measurement decides, and the report says so.
        foreach (var (variant, target) in failingTimings)
        {
            var index = variants.FindIndex(v => v.Name == variant);
            variants[index] = measurer.Remeasure(variants[index], target);
        }

        var again = Judge(model, variants);
        var remeasured = failingTimings.ToHashSet();
        return again.Select(c => remeasured.Contains((c.Variant, c.Target)) && MetricCatalog.Find(c.Metric) is { Timing: true } ? c with { Remeasured = true } : c).ToList();
    }

    private static List<CheckResult> Judge(ModelConfig model, IReadOnlyList<VariantResult> variants)
    {
        var checks = new List<CheckResult>();
        var original = variants.First(static v => v.Name == VariantConfig.OriginalName);
        foreach (var budget in model.Budgets)
        {
            var metric = MetricCatalog.Find(budget.Metric)!;
            foreach (var variant in variants.Where(v => budget.Variant is null || budget.Variant == v.Name))
            {
                if (budget.Kind is BudgetKind.DropFromOriginal or BudgetKind.RegressionFromOriginal && variant.Name == VariantConfig.OriginalName || metric.Name.StartsWith("fidelity.", StringComparison.Ordinal) && variant == original)
                {
                    continue; // the original cannot drop from itself
                }

                if (metric.PerTarget)
                {
                    foreach (var target in variant.Targets.Where(t => budget.Target is null || budget.Target == t.Target))
                    {
                        checks.Add(BudgetJudge.Judge(new JudgeContext(model, budget, metric, variant, original, target), model.Measure));
                    }
                }
                else
                {
                    checks.Add(BudgetJudge.Judge(new JudgeContext(model, budget, metric, variant, original, null), model.Measure));
                }
            }
        }

        return checks;
    }

    private static (BaselineInfo Info, BaselineModels? Ref, StoredBaseline? Stored) ResolveBaseline(GateConfig config, GateRunOptions options, List<Diagnostic> notices)
    {
        var resultsPath = options.BaselineResults;
        if (resultsPath is null && options.Profile is { } p && config.Profiles.TryGetValue(p, out var profile) && profile.Ratchet && profile.RatchetResults is { } ratchet)
        {
            if (File.Exists(ratchet))
            {
                resultsPath = ratchet;
            }
            else
            {
                notices.Add(new Diagnostic(PgCode.BaselineUnavailable, DiagnosticSeverity.Warning,
                    $"Profile '{p}' ratchets against '{ratchet}', which does not exist yet: this run has nothing to ratchet against.", config.Path,
                    Hint: "Save this run's results there with 'pipelinegate baseline save' when the release is cut."));
            }
        }

        if (options.BaselineRef is { } gitRef)
        {
            var models = BaselineModels.Resolve(config, gitRef, options.WorkDirectory);
            notices.AddRange(models.Notices);
            return (models.Commit is null ? BaselineInfo.None($"ref {gitRef} unavailable") : new BaselineInfo("ref", gitRef, models.Commit), models, null);
        }

        if (resultsPath is not null)
        {
            var stored = StoredBaseline.Load(resultsPath);
            return (new BaselineInfo("results", ResultsPath: resultsPath), null, stored);
        }

        return (BaselineInfo.None(), null, null);
    }
}
