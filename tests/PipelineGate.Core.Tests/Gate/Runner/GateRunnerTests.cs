using PipelineGate.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Results;
using PipelineGate.Onnx.IO;
using PipelineGate.Onnx.Proto;
using Xunit;

namespace PipelineGate.Tests.Gate.Runner;

/// <summary>The gate end to end on the real sample: real ONNX Runtime, real files, real git.</summary>
public sealed class GateRunnerTests : IDisposable
{
    private readonly SampleWorkspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public void Loose_budgets_pass_and_every_variant_is_measured()
    {
        _w.WriteConfig("""
                variants:
                  - name: int8
                    steps: [ { quantize: { mode: dynamic } } ]
                budgets:
                  - { metric: file-size, max: 100 KB }
                  - { metric: accuracy, min: 95% }
                  - { metric: accuracy, variant: int8, max-drop: 2 pp }
                  - { metric: latency.p50, max: 1 s }
            """);

        var r = _w.Run();

        Assert.Equal(CheckOutcome.Pass, r.Summary.Outcome);
        Assert.Equal(["original", "int8"], r.Models.Single().Variants.Select(static v => v.Name));
        var original = r.Models[0].Variants[0];
        var int8 = r.Models[0].Variants[1];
        Assert.Equal(27_775, original.Size.FileBytes);
        Assert.True(int8.Size.FileBytes < original.Size.FileBytes / 2);
        Assert.Equal(350 / 359.0, original.Accuracy!.Value, 6);
        Assert.NotNull(int8.Accuracy!.ChangeFromOriginal);
        Assert.True(int8.Fidelity!.Top1Agreement > 0.98);
        Assert.All(r.Models[0].Variants, v => Assert.Equal("measured", v.Targets.Single().Status));
        Assert.True(File.Exists(int8.Path));
        Assert.Equal(7, r.Checks.Count); // file-size, accuracy min and latency on both variants (3 × 2), the drop on int8 (1)
    }

    [Fact]
    public void The_build_phase_reports_its_steps_messages_and_its_end()
    {
        // Static quantization calibrates and runs the accuracy-aware fallback search: both speak through
        // OptimizationContext.Log, which reaches the gate's progress as details of the variant's build phase.
        _w.WriteConfig("""
                variants:
                  - name: qdq
                    steps: [ { quantize: { mode: static, calibration: digits/calibration/pixels.npy, max-drop: 0.5 pp } } ]
                budgets:
                  - { metric: file-size, max: 100 KB }
            """);
        var reports = new List<GateProgress>();

        _w.Run(progress: new Collect(reports));

        var build = reports.Where(static p => p.Variant == "qdq" && p.Phase == "build").ToList();
        Assert.Contains(build, static p => p.Detail?.StartsWith("calibrated ", StringComparison.Ordinal) == true);
        Assert.Contains(build, static p => p.Detail?.StartsWith("fallback: ", StringComparison.Ordinal) == true);
        Assert.Equal(1, build[^1].Fraction);
        Assert.Null(build[^1].Detail);
        Assert.Equal(1, reports.Last(static p => p.Variant == "qdq" && p.Phase == "accuracy").Fraction);
        Assert.Contains(reports, static p => p.Variant == "original" && p.Phase == "build" && p.Fraction == 1);
    }

    private sealed class Collect(List<GateProgress> into) : IProgress<GateProgress>
    {
        public void Report(GateProgress value) => into.Add(value);
    }

    [Fact]
    public void A_broken_size_budget_fails_with_its_code_and_config_location()
    {
        _w.WriteConfig("""
                budgets:
                  - { metric: file-size, max: 1 KB }
            """);

        var r = _w.Run();

        var check = Assert.Single(r.Checks);
        Assert.Equal(CheckOutcome.Fail, check.Outcome);
        Assert.Equal(PgCode.SizeOverBudget, check.Code);
        Assert.Equal("PG4201", check.CodeText);
        Assert.Equal(_w.ConfigPath, check.File);
        Assert.Equal(_w.LineOf("file-size"), check.Line);
        Assert.Contains("27,775", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warning_severity_turns_a_failure_into_a_warning()
    {
        _w.WriteConfig("""
                budgets:
                  - { metric: file-size, max: 1 KB, severity: warning }
            """);

        Assert.Equal(CheckOutcome.Warn, Assert.Single(_w.Run().Checks).Outcome);
    }

    [Fact]
    public void Regression_against_the_merge_base_of_a_git_ref_is_measured_and_judged_exactly()
    {
        _w.WriteConfig("""
                budgets:
                  - { metric: parameters, max-regression: 0 }
                  - { metric: file-size, max-regression: 0 }
                  - { metric: latency.p50, max-regression: 50% }
            """);
        _w.Git("init", "-q", "-b", "main");
        _w.Git("add", "-A");
        _w.Git("commit", "-q", "-m", "base");
        _w.Git("checkout", "-q", "-b", "feature");
        GrowModel(_w.ModelPath);
        _w.Git("commit", "-q", "-am", "bigger model");

        var r = _w.Run(baselineRef: "main");

        Assert.Equal("ref", r.Baseline.Kind);
        var parameters = r.Checks.Single(static c => c.Metric == "parameters");
        Assert.Equal(CheckOutcome.Fail, parameters.Outcome);
        Assert.Equal(6570, parameters.Reference);
        Assert.Equal(6570 + 16, parameters.Actual);
        Assert.Equal(CheckOutcome.Fail, r.Checks.Single(static c => c.Metric == "file-size").Outcome);
        var latency = r.Checks.Single(static c => c.Metric == "latency.p50");
        Assert.NotEqual(CheckOutcome.Skipped, latency.Outcome);
        Assert.NotNull(latency.PValue);
        Assert.NotNull(r.Models[0].Variants[0].Targets[0].Comparison);
    }

    [Fact]
    public void A_missing_baseline_ref_is_a_notice_and_regression_budgets_are_skipped()
    {
        _w.WriteConfig("""
                budgets:
                  - { metric: parameters, max-regression: 0 }
                  - { metric: file-size, max: 100 KB }
            """);
        _w.Git("init", "-q", "-b", "main");
        _w.Git("add", "-A");
        _w.Git("commit", "-q", "-m", "base");

        var r = _w.Run(baselineRef: "origin/does-not-exist");

        Assert.Contains(r.Notices, static n => n.Code == PgCode.BaselineUnavailable && n.Message.Contains("does-not-exist", StringComparison.Ordinal));
        Assert.Equal(CheckOutcome.Skipped, r.Checks.Single(static c => c.Metric == "parameters").Outcome);
        Assert.Equal(CheckOutcome.Pass, r.Checks.Single(static c => c.Metric == "file-size").Outcome);
    }

    [Fact]
    public void A_model_new_in_the_change_gates_on_absolute_budgets_only()
    {
        _w.WriteConfig("""
                budgets:
                  - { metric: parameters, max-regression: 0 }
            """);
        _w.Git("init", "-q", "-b", "main");
        File.WriteAllText(Path.Combine(_w.Root, "README"), "base");
        _w.Git("add", "README");
        _w.Git("commit", "-q", "-m", "base without the model");

        var r = _w.Run(baselineRef: "main");

        Assert.Contains(r.Notices, static n => n.Code == PgCode.BaselineUnavailable && n.Message.Contains("new in this change", StringComparison.Ordinal));
        Assert.Equal(CheckOutcome.Skipped, Assert.Single(r.Checks).Outcome);
    }

    [Fact]
    public void Unavailable_gpu_target_is_skipped_with_a_notice_unless_required()
    {
        _w.WriteConfig("""
                targets: [cpu, { name: cuda, required: false }]
                budgets:
                  - { metric: latency.p50, max: 1 s }
            """);

        var r = _w.Run();

        Assert.Contains(r.Notices, static n => n.Code == PgCode.TargetSkipped);
        Assert.Equal(CheckOutcome.Skipped, r.Checks.Single(static c => c.Target == "cuda").Outcome);
        Assert.Equal(CheckOutcome.Pass, r.Checks.Single(static c => c.Target == "cpu").Outcome);
    }

    [Fact]
    public void Required_gpu_target_that_cannot_load_is_PG3003_at_its_config_line()
    {
        _w.WriteConfig("""
                targets: [cpu, { name: cuda, required: true }]
                budgets:
                  - { metric: latency.p50, max: 1 s }
            """);

        var ex = Assert.Throws<PipelineGateException>(() => _w.Run());

        Assert.Equal(PgCode.ProviderUnavailable, ex.Code);
        Assert.Equal(_w.ConfigPath, ex.Diagnostic.File);
        Assert.Equal(_w.LineOf("cuda"), ex.Diagnostic.Line);
    }

    [Fact]
    public void Stored_results_serve_as_the_baseline()
    {
        _w.WriteConfig("""
                budgets:
                  - { metric: parameters, max-regression: 0 }
                  - { metric: accuracy, max-regression: 0.5 pp }
            """);
        var first = _w.Run();
        var stored = Path.Combine(_w.Root, "baseline.json");
        File.WriteAllText(stored, System.Text.Json.JsonSerializer.Serialize(first, JsonForTests.Options));
        GrowModel(_w.ModelPath);

        var r = _w.Run(baselineResults: stored);

        Assert.Equal("results", r.Baseline.Kind);
        Assert.Equal(CheckOutcome.Fail, r.Checks.Single(static c => c.Metric == "parameters").Outcome);
        Assert.Equal(CheckOutcome.Pass, r.Checks.Single(static c => c.Metric == "accuracy").Outcome);
    }

    /// <summary>Adds an unused 16-element initializer: more parameters and bytes, same outputs.</summary>
    internal static void GrowModel(string path)
    {
        var model = ModelFile.Load(path);
        var extra = new TensorProto { Name = "unused_extra", DataType = 1, RawData = Google.Protobuf.ByteString.CopyFrom(new byte[64]) };
        extra.Dims.Add(16);
        model.Model.Graph.Initializer.Add(extra);
        ModelWriter.Save(model, path);
    }
}
