using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using Xunit;

namespace PipelineGate.Tests.Gate.Config;

/// <summary>Every PG code the loader reports, at the exact line and column of the offending node.</summary>
public sealed class ConfigErrorTests : IDisposable
{
    // The budget under test goes on line 10; its '{' is at column 9 and its metric's value at column 19.
    private const string Header = """
        version: 1
        models:
          - path: m.onnx
            data: { path: eval, labels: labels }
            targets: [cpu]
            variants:
              - name: int8
                steps: [ { quantize: { mode: dynamic } } ]
            budgets:

        """;

    private readonly ConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Budget(string budget) => Header + "      - " + budget + "\n";

    [Fact]
    public void A_valid_header_loads() => Assert.Single(_dir.Load(Budget("{ metric: latency.p90, max: 12 ms }")).Models);

    [Fact]
    public void PG1001_missing_file()
    {
        var missing = Path.Combine(_dir.Root, "nope.yml");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(missing));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal((PgCode.ConfigNotFound, missing, (int?)null), (d.Code, d.File, d.Line));
    }

    [Fact]
    public void PG1001_folder_without_a_config_and_a_folder_with_one()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Path.Combine(_dir.Root, "eval")));
        Assert.Equal(PgCode.ConfigNotFound, e.Code);
        Assert.Contains("pipelinegate.yml", e.Diagnostic.Message, StringComparison.Ordinal);

        File.WriteAllText(_dir.ConfigPath, "version: 1\nmodels: [ { path: m.onnx } ]\n");
        Assert.Equal(_dir.ConfigPath, ConfigLoader.Load(_dir.Root, new Dictionary<string, string>()).Path);
    }

    [Fact]
    public void PG1002_syntax_error_at_yamldotnet_mark()
    {
        var d = _dir.Error("version: 1\nmodels: a: b\n", PgCode.ConfigSyntax, 2, 10);
        Assert.DoesNotContain("Idx:", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PG1002_tab_in_indentation_is_reported_at_the_tab()
    {
        var d = _dir.Error("version: 1\nmodels:\n  - path: m.onnx\n   \tname: x\n", PgCode.ConfigSyntax, 4, 4);
        Assert.Contains("tab", d.Message, StringComparison.Ordinal);
        _dir.Error("version: 1\nmodels:\n\t- path: m.onnx\n", PgCode.ConfigSyntax, 3, 1);
    }

    [Fact]
    public void PG1002_duplicate_key()
    {
        var d = _dir.Error("version: 1\nmodels: [ { path: m.onnx } ]\nversion: 1\n", PgCode.ConfigSyntax, 3, 1);
        Assert.Contains("Duplicate key", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PG1002_second_document()
    {
        _dir.Error("version: 1\nmodels: [ { path: m.onnx } ]\n---\nversion: 1\n", PgCode.ConfigSyntax, 4, 1);
    }

    [Fact]
    public void PG1003_unknown_key_with_suggestion()
    {
        var d = _dir.Error("version: 1\nmeasure:\n  treshold: 5%\nmodels: [ { path: m.onnx } ]\n", PgCode.ConfigUnknownKey, 3, 3);
        Assert.Contains("Unknown key 'treshold' in measure. Did you mean 'threshold'?", d.Message, StringComparison.Ordinal);
        Assert.Contains("duration, min-samples", d.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void PG1003_snake_case_key_suggests_kebab_case()
    {
        var d = _dir.Error(Budget("{ metric: latency.p90, max_regression: 5% }"), PgCode.ConfigUnknownKey, 10, 32);
        Assert.Contains("Did you mean 'max-regression'?", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PG1003_unknown_step()
    {
        var d = _dir.Error("version: 1\nmodels:\n  - path: m.onnx\n    variants:\n      - name: v\n        steps: [ { quantise: {} } ]\n", PgCode.ConfigUnknownKey, 6, 20);
        Assert.Contains("Did you mean 'quantize'?", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ metric: latency.p9, max: 12 ms }", 19, "Unknown metric 'latency.p9'. Did you mean 'latency.p90'?")]
    [InlineData("{ metric: latency.p90 }", 9, "A budget needs a limit")]
    [InlineData("{ metric: latency.p90, max: 12 ms, max-regression: 5% }", 44, "exactly one limit, but this one has max, max-regression")]
    [InlineData("{ metric: file-size, max-drop: 1 pp }", 30, "file-size is not an accuracy metric")]
    [InlineData("{ metric: accuracy, max: 99% }", 34, "higher-is-better ('accuracy' is top1 for model 'm'), so a 'max'")]
    [InlineData("{ metric: latency.p90, min: 1 ms }", 37, "lower-is-better, so a 'min'")]
    [InlineData("{ metric: latency.p90, max: 12 ms, variant: int9 }", 53, "Variant 'int9' is not defined for model 'm', which has original, int8. Did you mean 'int8'?")]
    [InlineData("{ metric: top1, min: 1.5 }", 30, "more than 100%")]
    [InlineData("{ metric: latency.p90, max: \"1,5 ms\" }", 37, "'1,5 ms' is not a number")]
    [InlineData("{ metric: latency.p90, max: -1 ms }", 37, "must not be negative")]
    [InlineData("{ metric: latency.p90, max: 12 ms, severity: fatal }", 54, "'severity' 'fatal' is not one of error, warning")]
    [InlineData("{ metric: file-size, max: 1 MB, target: cpu }", 49, "file-size is the same on every target")]
    [InlineData("{ metric: accuracy, variant: original, max-drop: 1 pp }", 38, "cannot apply to 'original'")]
    [InlineData("{ metric: accuracy, variant: int8, max-drop: 101 pp }", 54, "more than 100%")]
    [InlineData("{ metric: [latency.p90], max: 12 ms }", 19, "'metric' must be a single value, got a list")]
    public void PG1004_invalid_budget(string budget, int column, string message)
    {
        var d = _dir.Error(Budget(budget), PgCode.ConfigInvalidValue, 10, column);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version: 2\nmodels: [ { path: m.onnx } ]\n", 1, 10, "reads version 1 only")]
    [InlineData("version: one\nmodels: [ { path: m.onnx } ]\n", 1, 10, "must be a whole number")]
    [InlineData("version: 1\nmodels: { path: m.onnx }\n", 2, 9, "'models' must be a list")]
    [InlineData("version: 1\nmodels: []\n", 2, 9, "at least one model")]
    [InlineData("- version: 1\n", 1, 1, "The config must be a mapping")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n  - path: other.onnx\n    name: m\n", 5, 11, "Model name 'm' is already used by the model at line 3")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n  - path: sub/../m.onnx\n", 4, 11, "Model name 'm' is already used")]
    [InlineData("version: 1\nmodels:\n  - path: models/a b.onnx\n", 3, 11, "defaults to its file name, 'a b'")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    name: my model\n", 4, 11, "'my model' is not a valid name")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    metric: top3\n", 4, 13, "'top3' is not one of top1, top5, f1, mae, rmse. Did you mean 'top1'?")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    targets: [gpu]\n", 4, 15, "Did you mean 'cpu'?")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    targets: [cpu, cpu]\n", 4, 20, "listed twice")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    targets: [tensorrt, trt]\n", 4, 25, "Target 'tensorrt' is listed twice")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    targets: [ { name: TRT } ]\n", 4, 24, "'name' 'TRT' is not one of cpu, cuda, tensorrt, trt. Did you mean 'trt'?")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    targets: []\n", 4, 14, "at least one target")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    targets: [ { name: cuda, threads: -1 } ]\n", 4, 39, "'threads' must be at least 0")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    targets: [ { name: cuda, required: yes } ]\n", 4, 40, "must be true or false")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    targets: [ { name: cuda, options: { device: { id: 0 } } } ]\n", 4, 41, "'name: value'")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: original, steps: [ { quantize: } ] } ]\n", 4, 25, "cannot take that name")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants:\n      - { name: v, steps: [ { prune: { sparsity: 5% } } ] }\n      - { name: V, steps: [ { prune: { sparsity: 5% } } ] }\n", 6, 17, "Variant 'V' is defined twice in this model; the first is at line 5")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [] } ]\n", 4, 35, "at least one step")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { quantize: { mode: dinamic } } ] } ]\n", 4, 57, "Did you mean 'dynamic'?")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { quantize: }, { quantize: } ] } ]\n", 4, 52, "already has a 'quantize' step")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { quantize: , prune: } ] } ]\n", 4, 37, "A step must be one of quantize, prune, factorize")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { quantize: { calibration: calib } } ] } ]\n", 4, 64, "only used by mode: static")]
    [InlineData("version: 1\nmeasure:\n  min-samples: 0\nmodels: [ { path: m.onnx } ]\n", 3, 16, "'min-samples' must be at least 1")]
    [InlineData("version: 1\nmeasure:\n  min-samples: 100\n  max-samples: 50\nmodels: [ { path: m.onnx } ]\n", 4, 16, "'max-samples' (50) is less than 'min-samples' (100)")]
    [InlineData("version: 1\nmeasure:\n  threshold: 1.5\nmodels: [ { path: m.onnx } ]\n", 3, 14, "'threshold' must be below 100%")]
    [InlineData("version: 1\nmeasure:\n  confidence: 40%\nmodels: [ { path: m.onnx } ]\n", 3, 15, "at least 50%")]
    [InlineData("version: 1\nmeasure:\n  duration: 0s\nmodels: [ { path: m.onnx } ]\n", 3, 13, "longer than 0")]
    [InlineData("version: 1\nmeasure:\n  remeasure: 1.5\nmodels: [ { path: m.onnx } ]\n", 3, 14, "whole number")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    data: { path: data.txt }\n", 4, 19, "not a .npy, .npz or .csv file")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    data: { path: eval, limit: 0 }\n", 4, 32, "'limit' must be at least 1")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    data: eval\n", 4, 11, "'data' must be a mapping")]
    [InlineData("version: 1\nmodels: [ { path: m.onnx } ]\nprofiles:\n  pr:\n    budgets: [ { metric: latency.p90, max: 1 ms, model: n } ]\n", 5, 57, "Model 'n' is not defined; the config defines m.")]
    [InlineData("version: 1\nmodels: [ { path: m.onnx } ]\nprofiles:\n  pr:\n    ratchet-results: r.json\n", 5, 22, "only used with 'ratchet: true'")]
    [InlineData("version: 1\nmodels: [ { path: m.onnx } ]\nprofiles:\n  p r: {}\n", 4, 3, "'p r' is not a valid name")]
    [InlineData("version: 1\nmodels: [ { path: m.onnx } ]\nprofiles: [pr]\n", 3, 11, "'profiles' must be a mapping")]
    [InlineData("version: 1\nmodels: [ { path: \"${X\" } ]\n", 2, 19, "malformed variable reference")]
    public void PG1004_invalid_value(string yaml, int line, int column, string message)
    {
        var d = _dir.Error(yaml, PgCode.ConfigInvalidValue, line, column);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { quantize: }, { prune: { sparsity: 5% } } ] } ]\n", 4, 52, PgCode.StepAfterQuantize, "'prune' must come before 'quantize'")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { quantize: }, { factorize: } ] } ]\n", 4, 52, PgCode.StepAfterQuantize, "'factorize' must come before 'quantize'")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { prune: { sparsity: 100% } } ] } ]\n", 4, 58, PgCode.PruneAmountOutOfRange, "'sparsity' must be below 100%")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { prune: { method: nm, pattern: 4:2 } } ] } ]\n", 4, 69, PgCode.PrunePatternUnfollowable, "'pattern' '4:2' is not N:M")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { factorize: { energy: 0 } } ] } ]\n", 4, 60, PgCode.PruneAmountOutOfRange, "'energy' must be above 0")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { factorize: { energy: 90%, rank: 4 } } ] } ]\n", 4, 60, PgCode.FactorizeNotApplicable, "either 'energy' or 'rank'")]
    public void Prune_and_factorize_errors_carry_their_codes(string yaml, int line, int column, PgCode code, string message)
    {
        var d = _dir.Error(yaml, code, line, column);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PG1004_duplicate_budget()
    {
        var yaml = Budget("{ metric: latency.p90, max: 12 ms }") + "      - { metric: latency.p90, max: 10 ms }\n";
        var d = _dir.Error(yaml, PgCode.ConfigInvalidValue, 11, 9);
        Assert.Contains("repeats the one at line 10", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ metric: latency.p90, max: 12 MB }", 37, "is a size, but it must be a time", "ns, us, µs, ms or s")]
    [InlineData("{ metric: latency.p90, max: 5 }", 37, "has no unit; it must be a time", "ns, us, µs, ms or s")]
    [InlineData("{ metric: latency.p50, max-regression: 5 ms }", 48, "is a time, but it must be a relative change", "% (e.g. 5%)")]
    [InlineData("{ metric: peak-memory, max-regression: 5 MB }", 48, "is a size, but it must be a relative change", "% (e.g. 5%)")]
    [InlineData("{ metric: throughput, min: 200 }", 36, "has no unit; it must be a rate", "/s (e.g. 200/s)")]
    [InlineData("{ metric: file-size, max: 5 ms }", 35, "is a time, but it must be a size", "KiB")]
    [InlineData("{ metric: accuracy, variant: int8, max-drop: 0.5 }", 54, "has no unit; it must be a change in percentage points", "pp (e.g. 0.5 pp)")]
    [InlineData("{ metric: accuracy, max-regression: 1 }", 45, "it must be a relative change or a change in percentage points", "pp")]
    [InlineData("{ metric: parameters, max-regression: 1 MB }", 47, "is a size, but it must be a relative change or a count", "k, M or G")]
    [InlineData("{ metric: latency.p90, max: 12 parsecs }", 37, "unknown unit 'parsecs'", "ms")]
    public void PG1005_unit_does_not_fit(string budget, int column, string message, string hint)
    {
        var d = _dir.Error(Budget(budget), PgCode.ConfigInvalidUnit, 10, column);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
        Assert.Contains(hint, d.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void PG1005_duration_without_unit()
    {
        var d = _dir.Error("version: 1\nmeasure:\n  duration: 10\nmodels: [ { path: m.onnx } ]\n", PgCode.ConfigInvalidUnit, 3, 13);
        Assert.Contains("'duration' '10' has no unit", d.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("models: [ { path: m.onnx } ]\n", 1, 1, "The config needs 'version'")]
    [InlineData("version: 1\n", 1, 1, "The config needs 'models'")]
    [InlineData("version: 1\nmodels:\n", 2, 1, "The config needs 'models' to have a value")]
    [InlineData("", 1, 1, "The config is empty")]
    [InlineData("version: 1\nmodels:\n  - name: x\n", 3, 5, "A model needs 'path'")]
    [InlineData("version: 1\nmodels:\n  - path:\n    name: x\n", 3, 5, "A model needs 'path' to have a value")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    data: { labels: y }\n", 4, 11, "'data' needs 'path'")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    targets: [ { threads: 2 } ]\n", 4, 16, "A target needs 'name'")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v } ]\n", 4, 17, "A variant needs 'steps'")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { steps: [ { quantize: } ] } ]\n", 4, 17, "A variant needs 'name'")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { prune: } ] } ]\n", 4, 39, "'prune' needs 'sparsity'")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    budgets: [ { max: 1 ms } ]\n", 4, 16, "A budget needs 'metric'")]
    [InlineData("version: 1\nmodels:\n  - path: m.onnx\n    budgets: [ { metric: top5, min: 90% } ]\n", 4, 26, "top5 is computed on evaluation data, but model 'm' has no 'data'")]
    public void PG1006_missing_key(string yaml, int line, int column, string message)
    {
        var d = _dir.Error(yaml, PgCode.ConfigMissingKey, line, column);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PG1007_budget_target_not_declared()
    {
        var d = _dir.Error(Budget("{ metric: latency.p90, max: 12 ms, target: cuda }"), PgCode.ConfigUnknownTarget, 10, 52);
        Assert.Contains("Target 'cuda' is not declared for model 'm', which is measured on cpu.", d.Message, StringComparison.Ordinal);
        Assert.Contains("targets:", d.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void PG1007_profile_budget_target_not_declared()
    {
        var yaml = "version: 1\nmodels: [ { path: m.onnx } ]\nprofiles:\n  pr:\n    budgets: [ { metric: latency.p90, max: 1 ms, target: tensorrt } ]\n";
        _dir.Error(yaml, PgCode.ConfigUnknownTarget, 5, 58);
    }

    [Fact]
    public void PG1009_undefined_variable_in_a_path()
    {
        var d = _dir.Error("version: 1\nmodels:\n  - path: ${MODELS}/m.onnx\n", PgCode.ConfigUndefinedVariable, 3, 11);
        Assert.Contains("'MODELS'", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PG2001_model_not_found()
    {
        var d = _dir.Error("version: 1\nmodels:\n  - path: missing.onnx\n", PgCode.ModelNotFound, 3, 11);
        Assert.Contains("Model 'missing.onnx' does not exist", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PG2001_model_path_is_a_folder()
    {
        var d = _dir.Error("version: 1\nmodels:\n  - path: eval\n", PgCode.ModelNotFound, 3, 11);
        Assert.Contains("folder", d.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void PG2026_data_not_found()
    {
        var d = _dir.Error("version: 1\nmodels:\n  - path: m.onnx\n    data: { path: nowhere }\n", PgCode.DataNotFound, 4, 19);
        Assert.Contains("Evaluation data 'nowhere' does not exist", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PG2032_calibration_data_not_found()
    {
        var d = _dir.Error("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { quantize: { mode: static, calibration: nocalib } } ] } ]\n", PgCode.CalibrationDataMissing, 4, 78);
        Assert.Contains("Calibration data 'nocalib' does not exist", d.Message, StringComparison.Ordinal);
    }

    // The quantize step's line 4 prefix: its options mapping opens at column 49 and the first value is at 57.
    [Theory]
    [InlineData("{ mode: dynamic, method: entropy }", 74, "'method' is only used by mode: static; this step's mode is dynamic")]
    [InlineData("{ block-size: 64 }", 63, "'block-size' is only used by mode: int4; this step's mode is dynamic")]
    [InlineData("{ mode: static, method: kl }", 73, "'method' 'kl' is not one of minmax, percentile, entropy")]
    [InlineData("{ mode: int4, block-size: 48 }", 75, "'block-size' '48' is not one of 32, 64, 128")]
    [InlineData("{ max-drop: 2 }", 61, "more than 100 pp")]
    [InlineData("{ fallback: auto }", 61, "'fallback' is only used by mode: static; this step's mode is dynamic")]
    [InlineData("{ mode: static, fallback: int16 }", 75, "'fallback' 'int16' is not one of float, uint16, auto")]
    [InlineData("{ mode: static, max-drop-metric: cosine }", 82, "'max-drop-metric' 'cosine' is not one of fidelity.cosine, fidelity.cosine-min, fidelity.top1-agreement, relative-l2")]
    [InlineData("{ mode: fp16, weight-type: int8 }", 76, "'weight-type' is only used by mode: dynamic; this step's mode is fp16")]
    [InlineData("{ weight-type: int4 }", 64, "'weight-type' 'int4' is not one of auto, uint8, int8")]
    [InlineData("{ activation-type: int8 }", 68, "'activation-type' is only used by mode: static; this step's mode is dynamic")]
    [InlineData("{ exclude-op: [ [MatMul] ] }", 65, "An entry of 'exclude-op' must be a single value, got a list")]
    [InlineData("{ per-channel: maybe }", 64, "must be true or false")]
    [InlineData("{ mode: int8 }", 57, "'mode' 'int8' is not one of dynamic, static, fp16, int4. Did you mean 'int4'?")]
    [InlineData("{ mode: static, rerank: 2 }", 73, "'rerank' re-ranks the accuracy-aware fallback, which needs 'max-drop'")]
    [InlineData("{ mode: static, max-drop: 0.01, rerank: 4 }", 89, "'rerank' must be between 0 and 3, got 4")]
    [InlineData("{ rerank: 1 }", 59, "'rerank' is only used by mode: static; this step's mode is dynamic")]
    public void PG1004_invalid_quantize_option(string options, int column, string message)
    {
        var yaml = $"version: 1\nmodels:\n  - path: m.onnx\n    variants: [ {{ name: v, steps: [ {{ quantize: {options} }} ] }} ]\n";
        var d = _dir.Error(yaml, PgCode.ConfigInvalidValue, 4, column);
        Assert.Contains(message, d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_mode_does_not_also_flag_the_options_that_depend_on_it()
    {
        var d = _dir.Error("version: 1\nmodels:\n  - path: m.onnx\n    variants: [ { name: v, steps: [ { quantize: { mode: statc, calibration: calib } } ] } ]\n", PgCode.ConfigInvalidValue, 4, 57);
        Assert.Contains("Did you mean 'static'?", d.Message, StringComparison.Ordinal);
    }
}
