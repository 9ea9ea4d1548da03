using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Static int8 quantization in QDQ form, the layout ONNX Runtime fuses into QLinearConv/QLinearMatMul:
/// int8 symmetric per-channel weights stored as int8 initializers + DequantizeLinear, uint8 asymmetric
/// QuantizeLinear→DequantizeLinear pairs on the activations around every Conv, MatMul and Gemm with a
/// constant weight, float biases, no ConvInteger. Activation ranges come from calibration data run
/// through ONNX Runtime and folded into running statistics (minmax, percentile or entropy) whose memory
/// is O(tensors × bins), independent of the data's size (reported as CalibrationMemoryBytes in the notes).
/// The model's opset is raised to 13 for per-axis scales when needed, checked by comparing outputs.
/// With max-drop, the most sensitive nodes fall back (kept in float, or int8 weights with uint16 activations)
/// until the measured drop, in the metric max-drop-metric names, is within budget.
/// </summary>
public static class StaticQuantizer
{
    public static OptimizationOutput Apply(ModelFile input, QuantizeOptions options, string? calibrationPath, IProgress<string>? log) =>
        Apply(input, options, calibrationPath, evaluation: null, log);

    /// <summary>As above; <paramref name="evaluation"/> (when given) is the data the fallback measures the drop on, else the calibration data.</summary>
    public static OptimizationOutput Apply(ModelFile input, QuantizeOptions options, string? calibrationPath, DataConfig? evaluation, IProgress<string>? log)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        QuantizationGuards.ThrowIfQuantized(input);
        var path = CalibrationData.Require(calibrationPath ?? options.Calibration, input.DisplayPath);
        var method = options.Method switch
        {
            "percentile" => CalibrationMethod.Percentile,
            "entropy" => CalibrationMethod.Entropy,
            "auto" => CalibrationMethod.Auto,
            _ => CalibrationMethod.MinMax,
        };
        var notes = new List<string>();

        var opset = input.OpsetVersion() ?? 1;
        var (model, rewrites) = OpsetUpgrader.Upgrade(input, options.PerChannel ? 13 : 10);
        if (!ReferenceEquals(model, input))
        {
            var difference = OpsetCheck.Compare(input, model, path);
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"opset {opset} → {model.OpsetVersion()} for per-axis QDQ; {(rewrites.Count == 0 ? "no node changed form" : "rewrote " + string.Join(", ", rewrites.GroupBy(static r => r).Select(static g => $"{g.Count()} {g.Key}")))}; outputs match the original (max relative L2 {difference:0.0e0})."));
        }

        var (nodes, skipped) = QdqCandidates.Find(model.Model.Graph, options);
        if (nodes.Count == 0)
        {
            throw new PipelineGateException(PgCode.RecipeNotApplicable,
                $"Static quantization found no Conv, MatMul or Gemm with a constant float weight{(skipped.Count > 0 ? $" ({string.Join("; ", skipped.Take(5))})" : "")}; the variant would equal the original.",
                input.DisplayPath, hint: "Remove the quantize step, or check exclude-op/exclude-node.");
        }

        var tensors = nodes.SelectMany(static n => n.Output is null ? new[] { n.Activation } : new[] { n.Activation, n.Output }).Distinct(StringComparer.Ordinal).ToList();
        var statistics = ActivationCalibrator.Run(model, tensors, path, method, log);
        var ranges = tensors.Where(statistics.HasData).ToDictionary(static t => t, statistics.Range, StringComparer.Ordinal);
        var builder = new QdqBuilder(model, nodes, ranges, options);

        var evalPath = evaluation?.Path ?? path;
        // Text evaluation data (data: { text, tokenizer }) is tokenized as evaluation reads it, not read as a table.
        var evaluator = FallbackEvaluator.Create(input, evalPath, evaluation?.Inputs, evaluation?.Labels, evaluation?.Limit, options.MaxDropMetric, CalibrationData.TextInputs.Of(evaluation, input));
        SensitivityFallback.Outcome? fallback = null;
        if (options.MaxDrop is { } maxDrop)
        {
            fallback = SensitivityFallback.Search(builder, evaluator, maxDrop, options.Fallback, options.Rerank, log);
        }

        var result = builder.Build(fallback?.Keep ?? [], fallback?.Wide ?? []);
        QuantizationGuards.EnsureOpset(result.Model.Model, OnnxDomains.Default, options.PerChannel ? 13 : 10);
        QuantizationMetadata.Stamp(result.Model.Model, "static", options, result.Quantized.Count);

        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"{result.Quantized.Count} of {nodes.Count} Conv/MatMul/Gemm node(s) quantized to QDQ int8 ({(options.PerChannel ? "per-channel" : "per-tensor")} symmetric int8 weights, {options.ActivationType} {(options.SymmetricActivations ? "symmetric" : "asymmetric")} activations on {result.QuantizedTensors} tensor(s){(result.WideTensors > 0 ? $" ({result.WideTensors} of them uint16)" : "")}, {options.Method} calibration over {statistics.Batches} batch(es)); weights {result.WeightBytesBefore:N0} → {result.WeightBytesAfter:N0} bytes."));
        var bins = method == CalibrationMethod.MinMax ? "2 floats" : $"{TensorHistogram.DefaultBins} bins";
        if (method == CalibrationMethod.Auto)
        {
            notes.Add("method auto chose, per tensor by the smallest estimated quantization error: " + string.Join(", ",
                ranges.Keys.GroupBy(t => statistics.Chosen(t).Method).OrderBy(static g => g.Key).Select(static g => $"{g.Key.ToString().ToLowerInvariant()} {g.Count()}")) + ".");
        }

        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"CalibrationMemoryBytes={statistics.StateBytes} ({tensors.Count} tensors × {bins}; O(tensors × bins), independent of the number of calibration samples; plus one batch of activations while it runs)."));
        var nonFinite = tensors.Where(t => statistics.NonFinite(t) > 0).ToList();
        if (nonFinite.Count > 0)
        {
            notes.Add($"{nonFinite.Count} tensor(s) had NaN or infinite calibration values, ignored for their ranges: {string.Join(", ", nonFinite.Take(5))}.");
        }

        if (fallback is not null)
        {
            notes.Add(FallbackNote(fallback, options.MaxDrop!.Value, options.Fallback, evaluator));
        }

        var caveat = evaluation is null ? " (on the calibration data: optimistic)" : fallback is not null ? " (the same data chose the fallback: optimistic)" : "";
        notes.Add(evaluator.Describe(result.Model) + caveat + ".");
        if (skipped.Count > 0)
        {
            notes.Add($"{skipped.Count} kept in float by rule: " + string.Join("; ", skipped.Take(20)) + (skipped.Count > 20 ? "; …" : ""));
        }

        return new OptimizationOutput(result.Model, notes);
    }

    private static string FallbackNote(SensitivityFallback.Outcome outcome, double maxDrop, string tier, FallbackEvaluator evaluator)
    {
        var head = string.Create(CultureInfo.InvariantCulture,
            $"accuracy-aware fallback (max-drop {maxDrop:0.#####} in {evaluator.MetricName}, fallback {tier}, on {evaluator.Samples} sample(s)): all quantized {outcome.DropAllQuantized:0.00000}");
        if (outcome.Keep.Count + outcome.Wide.Count == 0)
        {
            return head + $" is within budget ({evaluator.Held(outcome.Drop)}); no node falls back.";
        }

        string List(HashSet<string> set) => string.Join("; ", outcome.Ranking.Where(r => set.Contains(r.Label))
            .Select(static r => string.Create(CultureInfo.InvariantCulture, $"{r.Label} (alone: relative L2 {r.Error:0.0000})")));
        var tiers = string.Join(" ", new[]
        {
            outcome.Keep.Count > 0 ? $"Kept in float, most sensitive first: {List(outcome.Keep)}." : "",
            outcome.Wide.Count > 0 ? $"int8 weights with uint16 activations: {List(outcome.Wide)}." : "",
        }.Where(static t => t.Length > 0));
        return head + string.Create(CultureInfo.InvariantCulture,
            $", with {outcome.Keep.Count} node(s) kept in float and {outcome.Wide.Count} with uint16 activations {outcome.Drop:0.00000}{(outcome.WithinBudget ? "" : " — STILL OVER BUDGET")}; held {evaluator.Held(outcome.Drop)} ({outcome.ModelsEvaluated} models evaluated){RerankText(outcome)}. {tiers}");
    }

    private static string RerankText(SensitivityFallback.Outcome outcome)
    {
        if (outcome.Reranks.Count == 0)
        {
            return "";
        }

        var rounds = string.Join(", ", outcome.Reranks.Select(static r => string.Create(CultureInfo.InvariantCulture, $"{r.Fallen} node(s) {r.Drop:0.00000} {(r.Accepted ? "taken" : "not better")}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"; re-ranked in context after the one-pass search ({outcome.FirstRoundFallen} node(s) {outcome.FirstRoundDrop:0.00000}, {outcome.FirstRoundModelsEvaluated} models): {rounds}");
    }
}
