using System.Diagnostics;
using System.Globalization;
using PipelineGate.Gate;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Config.Parsing;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Statistics;
using PipelineGate.Onnx.Proto;
using PipelineGate.Tensors;
using PipelineGate.TestAssets;

namespace PipelineGate.Benchmarks;

/// <summary>
/// The gate itself, run again and again on the bundled sample against an unchanged git baseline (issue 10):
/// how often does a model that did not change end with a warning or a failure? Usage:
///   gate-aa [runs=50] [profile=-] [sin-ops=0] [keep-folder] [model=digits|ocr-rec]
/// A copy of samples/ (digits model, data, pipelinegate.yml as it is) is committed to a fresh git repository in
/// a temp folder; each run is what `pipelinegate check --baseline-ref HEAD [--profile P]` does (GateRunner.Run,
/// in this process). With sin-ops &gt; 0 the working tree's model gets that many Sin ops on its input after the
/// commit (a real slowdown, see MeasurementQuality.WithSinChain), to count how often the slowdown is caught.
/// Besides the outcomes under the current rule it prints, on the same samples, what the previous rule would
/// have said about each latency.p50/mean regression (warn on ABResult.InNoiseBand with a ratio above 1, fail
/// on Verdict.Slower, no re-measure), so one run of this harness gives "before" and "after".
/// With model=ocr-rec the repository holds the pinned PP-OCRv4 recognizer (a registry model, 10.8 MB) instead,
/// timed on one fixed [1,3,48,320] input (seeded random pixels: the input's values do not change this CNN's
/// work, its shape does) with the same budget shape as the sample (p50 ≤ +10% vs base, pr profile +15%).
/// </summary>
internal static class GateAA
{
    public static int Run(string[] args)
    {
        var modelName = args.FirstOrDefault(static a => a.StartsWith("model=", StringComparison.Ordinal))?["model=".Length..] ?? "digits";
        args = [.. args.Where(static a => !a.StartsWith("model=", StringComparison.Ordinal))];
        if (modelName is not ("digits" or "ocr-rec"))
        {
            Console.Error.WriteLine($"gate-aa: unknown model '{modelName}' (digits or ocr-rec)");
            return 2;
        }

        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        var profile = args.Length > 1 && args[1] != "-" ? args[1] : null;
        var sinOps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0;
        var keep = args.Length > 3 ? args[3] : null;
        var root = keep ?? Path.Combine(Path.GetTempPath(), "pg-gate-aa-" + Guid.NewGuid().ToString("N")[..8]);
        var modelFile = Prepare(root, sinOps, modelName);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gate-aa: {runs} runs of {modelFile} against HEAD (unchanged{(sinOps > 0 ? $" baseline; candidate +{sinOps} Sin ops" : "")}), profile {profile ?? "(none)"}, in {root}"));

        var config = ConfigLoader.Load(Path.Combine(root, "pipelinegate.yml"));
        var latencyBudgets = config.WithProfile(profile).Models.SelectMany(static m => m.Budgets.Select(b => (Model: m, Budget: b)))
            .Where(static x => x.Budget.Metric is "latency.p50" or "latency.mean" && x.Budget.MaxRegression is { Dimension: UnitDimension.Relative })
            .ToArray();
        int runsWarned = 0, runsFailed = 0, oldRunsWarned = 0, oldRunsFailed = 0;
        var warnedChecks = new Dictionary<string, int>(StringComparer.Ordinal);
        var failedChecks = new Dictionary<string, int>(StringComparer.Ordinal);
        var significantPasses = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            var r = GateRunner.Run(config, new GateRunOptions
            {
                WorkDirectory = Path.Combine(root, ".work"),
                ToolVersion = "gate-aa",
                BaselineRef = "HEAD",
                Profile = profile,
            });
            var (oldWarn, oldFail) = PreviousRule(r, latencyBudgets);
            runsWarned += r.Summary.Warned > 0 ? 1 : 0;
            runsFailed += r.Summary.Failed > 0 ? 1 : 0;
            oldRunsWarned += oldWarn > 0 ? 1 : 0;
            oldRunsFailed += oldFail > 0 ? 1 : 0;
            significantPasses += r.Checks.Count(static c => c.Outcome == CheckOutcome.Pass && c.Significant == true);
            foreach (var c in r.Checks.Where(static c => c.Outcome == CheckOutcome.Warn))
            {
                warnedChecks[c.Id] = warnedChecks.GetValueOrDefault(c.Id) + 1;
            }

            foreach (var c in r.Checks.Where(static c => c.Outcome == CheckOutcome.Fail))
            {
                failedChecks[c.Id] = failedChecks.GetValueOrDefault(c.Id) + 1;
            }

            var p50 = string.Join("; ", r.Checks.Where(static c => c.Metric == "latency.p50" && c.Kind == BudgetKind.Regression)
                .Select(static c => string.Create(CultureInfo.InvariantCulture, $"{c.Variant} {c.Outcome} {c.Delta * 100:+0.0;-0.0}% [{c.DeltaLower * 100:+0.0;-0.0} … {c.DeltaUpper * 100:+0.0;-0.0}]{(c.Remeasured ? " re-measured" : "")}")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {i + 1,3}: {r.Summary.Outcome} (warned {r.Summary.Warned}, failed {r.Summary.Failed}); previous rule: warned {oldWarn}, failed {oldFail}; p50: {p50}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary over {runs} runs ({clock.Elapsed.TotalSeconds / Math.Max(1, runs):0.0} s each): current rule: runs with a warning {runsWarned}, with a failure {runsFailed}; significant changes that passed {significantPasses}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  previous rule, same samples, latency.p50/mean regressions only: runs with a warning {oldRunsWarned}, with a failure {oldRunsFailed} (before its re-measure)"));
        foreach (var (id, n) in warnedChecks.OrderBy(static x => x.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  warned {n}×: {id}");
        }

        foreach (var (id, n) in failedChecks.OrderBy(static x => x.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  failed {n}×: {id}");
        }

        if (keep is null)
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    /// <summary>The previous judge for p50/mean regressions: Slower fails, a noise-band hint with a ratio above 1 warns.</summary>
    private static (int Warned, int Failed) PreviousRule(GateResult r, (ModelConfig Model, BudgetConfig Budget)[] budgets)
    {
        int warned = 0, failed = 0;
        foreach (var (model, budget) in budgets)
        {
            var variants = r.Models.Single(m => m.Name == model.Name).Variants.Where(v => budget.Variant is null || budget.Variant == v.Name);
            foreach (var t in variants.SelectMany(v => v.Targets).Where(t => budget.Target is null || budget.Target == t.Target))
            {
                if (t.BaselineLatency?.SamplesMs is not { } a || t.Latency?.SamplesMs is not { } b)
                {
                    continue;
                }

                var ab = ABComparison.Compare(a, b, ABOptions.Default with
                {
                    Threshold = budget.MaxRegression!.Value.Value,
                    Confidence = model.Measure.Confidence,
                    BlockSize = t.Comparison?.Options.BlockSize ?? 0,
                });
                failed += ab.Verdict == Verdict.Slower ? 1 : 0;
                warned += ab.Verdict != Verdict.Slower && ab.InNoiseBand && ab.MedianRatio > 1 ? 1 : 0;
            }
        }

        return (warned, failed);
    }

    /// <summary>Writes the repository and returns the model's path in it (relative, for the log).</summary>
    internal static string Prepare(string root, int sinOps, string modelName)
    {
        Directory.CreateDirectory(root);
        string model;
        if (modelName == "ocr-rec")
        {
            model = "rec/ch_PP-OCRv4_rec_infer.onnx";
            Directory.CreateDirectory(Path.Combine(root, "rec", "timing"));
            File.Copy(RealModels.OcrRecognizer, Path.Combine(root, model));
            NpyFile.Write(Path.Combine(root, "rec", "timing", "x.npy"), RandomTensors.Create(TensorElementType.Float, [1, 3, 48, 320], new Random(1)));
            File.WriteAllText(Path.Combine(root, "pipelinegate.yml"), OcrConfig);
        }
        else
        {
            model = "digits/digits_mlp.onnx";
            Copy(RepoPaths.Of("samples/digits"), Path.Combine(root, "digits"));
            File.Copy(RepoPaths.Of("samples/pipelinegate.yml"), Path.Combine(root, "pipelinegate.yml"), overwrite: true);
        }

        Git(root, "init", "-q", "-b", "main");
        Git(root, "add", "-A");
        Git(root, "-c", "user.name=gate-aa", "-c", "user.email=gate-aa@example.invalid", "commit", "-q", "-m", "base", "--allow-empty");
        if (sinOps > 0)
        {
            var path = Path.Combine(root, model);
            File.WriteAllBytes(path, MeasurementQuality.WithSinChain(ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)), sinOps));
        }

        return model;
    }

    // The registry model's gate: the sample's budget shape on a model a hundred times its work.
    private const string OcrConfig = """
        version: 1
        measure: { duration: 5s, threshold: 5%, confidence: 95% }
        models:
          - path: rec/ch_PP-OCRv4_rec_infer.onnx
            name: ocr-rec
            data: { path: rec/timing }      # x.npy [1,3,48,320]: the timed input
            targets: [cpu]
            budgets:
              - { metric: latency.p50, max-regression: 10% }
              - { metric: file-size, max-regression: 0 }
        profiles:
          pr:
            measure: { duration: 3s }
            budgets:
              - { metric: latency.p50, max-regression: 15% }
          ab:
            measure: { duration: 1.5s, threshold: 5% }
            budgets:
              - { metric: latency.p50, max-regression: 5% }
        """;

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static void Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var error = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error.Result}");
        }
    }
}
