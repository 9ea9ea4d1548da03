using System.Text.Json;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Evaluation;
using PipelineGate.Runtime;
using Xunit;

namespace PipelineGate.Cli.Tests;

/// <summary>
/// quantize and eval on the digits sample through the real CLI: their progress (calibration, the
/// fallback search, evaluation) goes to standard error, and eval's JSON holds what the Core evaluator
/// computes in this process for the same models and data.
/// </summary>
public sealed class EvalAndQuantizeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pg-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Quantize_and_eval_report_progress_on_stderr_and_eval_writes_the_evaluators_numbers()
    {
        var model = CliProcess.Sample("digits", "digits_mlp.onnx");
        var data = CliProcess.Sample("digits", "eval");
        var quantized = Path.Combine(_dir, "digits-qdq.onnx");

        var quantize = CliProcess.Run(_dir, "quantize", model, "-o", quantized, "--mode", "static",
            "--calibration", CliProcess.Sample("digits", "calibration", "pixels.npy"), "--max-drop", "0.5pp", "--data", data, "--labels", "labels");

        Assert.True(quantize.ExitCode == 0, quantize.StdOut + quantize.StdErr);
        Assert.Contains("quantize: calibrated ", quantize.StdErr, StringComparison.Ordinal);
        Assert.Contains("quantize: fallback: 0 node(s) in float", quantize.StdErr, StringComparison.Ordinal);
        Assert.Contains($"evaluating {quantized}: 100%", quantize.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("calibrated", quantize.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("evaluating", quantize.StdOut, StringComparison.Ordinal);
        Assert.Contains("Wrote", quantize.StdOut, StringComparison.Ordinal);

        var json = Path.Combine(_dir, "eval.json");
        var eval = CliProcess.Run(_dir, "eval", quantized, "--data", data, "--labels", "labels", "--reference", model, "--json", json);

        Assert.True(eval.ExitCode == 0, eval.StdOut + eval.StdErr);
        Assert.Contains($"evaluating {quantized}: 100%", eval.StdErr, StringComparison.Ordinal);
        Assert.Contains($"evaluating {model}: 100%", eval.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("evaluating", eval.StdOut, StringComparison.Ordinal);

        var config = new DataConfig(data, data, "labels", new Dictionary<string, string>(), null, new SourceLocation("test", 1, 1));
        var expected = ModelEvaluator.Evaluate(quantized, config, "top1", SessionConfig.Default);
        var reference = ModelEvaluator.Evaluate(model, config, "top1", SessionConfig.Default);
        var paired = expected.PairedAccuracyAgainst(reference)!;
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(EvaluationReport.SchemaId, root.GetProperty("schema").GetString());
        Assert.Equal(expected.Samples, root.GetProperty("samples").GetInt32());
        Assert.Equal(expected.Value, root.GetProperty("value").GetDouble(), 12);
        Assert.Equal(expected.Classification!.MacroF1, root.GetProperty("classification").GetProperty("macroF1").GetDouble(), 12);
        Assert.Equal(expected.FidelityAgainst(reference)!.Top1Agreement!.Value, root.GetProperty("fidelity").GetProperty("top1Agreement").GetDouble(), 12);
        Assert.Equal(paired.DifferencePoints, root.GetProperty("paired").GetProperty("top1DifferencePoints").GetDouble(), 12);
        Assert.Equal(paired.McNemar.PValue, root.GetProperty("paired").GetProperty("mcNemarP").GetDouble(), 12);
        Assert.Contains("top1 vs reference", eval.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantize_states_max_drop_in_the_named_metric_and_says_which_metric_the_fallback_held()
    {
        var model = CliProcess.Sample("digits", "digits_mlp.onnx");
        var quantized = Path.Combine(_dir, "digits-u16.onnx");

        var r = CliProcess.Run(_dir, "quantize", model, "-o", quantized, "--mode", "static",
            "--calibration", CliProcess.Sample("digits", "calibration", "pixels.npy"), "--max-drop", "0.0001", "--max-drop-metric", "relative-l2", "--fallback", "uint16");

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("quantize: fallback: 0 node(s) in uint16 → relative-l2", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("max-drop 0.0001 in relative-l2, fallback uint16", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("held relative-l2 ", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("with uint16 activations", r.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(quantized));
    }

    [Fact]
    public void Quantize_rerank_reports_its_rounds_and_bad_values_are_coded_errors()
    {
        var model = CliProcess.Sample("digits", "digits_mlp.onnx");
        var calibration = CliProcess.Sample("digits", "calibration", "pixels.npy");
        var quantized = Path.Combine(_dir, "digits-rerank.onnx");

        var r = CliProcess.Run(_dir, "quantize", model, "-o", quantized, "--mode", "static", "--calibration", calibration,
            "--max-drop", "0.0001", "--max-drop-metric", "relative-l2", "--rerank", "1");
        var high = CliProcess.Run(_dir, "quantize", model, "-o", Path.Combine(_dir, "c.onnx"), "--mode", "static", "--calibration", calibration, "--max-drop", "0.01", "--rerank", "4");
        var alone = CliProcess.Run(_dir, "quantize", model, "-o", Path.Combine(_dir, "d.onnx"), "--mode", "static", "--calibration", calibration, "--rerank", "1");

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("quantize: fallback: re-rank round 1", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("re-ranked in context after the one-pass search (", r.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("STILL OVER BUDGET", r.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(quantized));
        Assert.NotEqual(0, high.ExitCode);
        Assert.Contains("PG1004", high.StdErr + high.StdOut, StringComparison.Ordinal);
        Assert.Contains("rerank '4' is not one of 0, 1, 2, 3", high.StdErr + high.StdOut, StringComparison.Ordinal);
        Assert.NotEqual(0, alone.ExitCode);
        Assert.Contains("PG1004", alone.StdErr + alone.StdOut, StringComparison.Ordinal);
        Assert.Contains("which needs max-drop", alone.StdErr + alone.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_max_drop_metric_or_fallback_is_a_coded_error_naming_the_choices()
    {
        var model = CliProcess.Sample("digits", "digits_mlp.onnx");
        var calibration = CliProcess.Sample("digits", "calibration", "pixels.npy");

        var metric = CliProcess.Run(_dir, "quantize", model, "-o", Path.Combine(_dir, "a.onnx"), "--mode", "static", "--calibration", calibration, "--max-drop", "0.01", "--max-drop-metric", "cosine");
        var tier = CliProcess.Run(_dir, "quantize", model, "-o", Path.Combine(_dir, "b.onnx"), "--mode", "static", "--calibration", calibration, "--max-drop", "0.01", "--fallback", "int16");

        Assert.NotEqual(0, metric.ExitCode);
        Assert.Contains("PG1004", metric.StdErr + metric.StdOut, StringComparison.Ordinal);
        Assert.Contains("fidelity.cosine, fidelity.cosine-min, fidelity.top1-agreement, relative-l2", metric.StdErr + metric.StdOut, StringComparison.Ordinal);
        Assert.NotEqual(0, tier.ExitCode);
        Assert.Contains("PG1004", tier.StdErr + tier.StdOut, StringComparison.Ordinal);
        Assert.Contains("float, uint16, auto", tier.StdErr + tier.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_metric_is_a_usage_error_naming_the_shared_list()
    {
        var r = CliProcess.Run(_dir, "eval", CliProcess.Sample("digits", "digits_mlp.onnx"), "--data", CliProcess.Sample("digits", "eval"), "--metric", "auc");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("PG1010", r.StdErr + r.StdOut, StringComparison.Ordinal);
        Assert.Contains(EvaluationMetrics.Choices, r.StdErr + r.StdOut, StringComparison.Ordinal);
    }
}
