using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Runtime;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Evaluation;

/// <summary>
/// Runs a model over its evaluation data in batches and computes the configured metric. The first
/// output is the prediction: class scores [N, C] for top1/top5/f1, values for mae/rmse.
/// </summary>
public static class ModelEvaluator
{
    public const int DefaultBatchSize = 64;

    /// <summary>Evaluates <paramref name="modelPath"/>; <paramref name="progress"/> hears the fraction of samples done after each batch.</summary>
    public static EvaluationResult Evaluate(string modelPath, DataConfig data, string metric, SessionConfig session, IProgress<double>? progress = null)
    {
        using var model = InferenceSession.Create(modelPath, session);
        using var dataset = EvalDatasetLoader.Open(data.Path, DataOptions.For(modelPath, data, model));
        var text = dataset as Text.TextDataset;
        var total = data.Limit is { } limit ? Math.Min(limit, dataset.Count) : dataset.Count;
        var fixedBatch = model.Inputs.Select(static i => i.Dimensions.Count > 0 ? i.Dimensions[0] : -1).FirstOrDefault(static d => d > 0, -1);
        var batchSize = fixedBatch > 0 ? (int)fixedBatch : DefaultBatchSize;
        var outputName = data.Output ?? model.Outputs[0].Name;
        if (!model.Outputs.Any(o => o.Name == outputName))
        {
            throw new PipelineGateException(PgCode.ConfigInvalidValue, $"The model has no output named '{outputName}'; it has {string.Join(", ", model.Outputs.Select(static o => o.Name))}.",
                data.Location.File, data.Location.Line, data.Location.Column, hint: "Set 'output' to one of the model's outputs, or leave it out for the first.");
        }

        var classification = EvaluationMetrics.IsClassification(metric);
        var accumulator = classification ? new ClassificationAccumulator(topK: 5) : null;
        var regression = classification ? null : new RegressionAccumulator();
        var scores = new List<double>();
        var perSample = 0;
        for (var start = 0; start < total; start += batchSize)
        {
            var count = Math.Min(batchSize, total - start);
            var batch = dataset.ReadBatch(start, count);
            if (fixedBatch > 0 && count != fixedBatch)
            {
                break; // A model with a fixed batch size cannot take the short last batch; evaluated samples are reported.
            }

            var output = model.Run(batch.Inputs, [outputName])[outputName];
            if (text is not null)
            {
                // Text rows are padded per batch, so token-level outputs differ in length between batches; the
                // sentence embedding (masked mean) is what is compared across variants.
                var pooled = Text.SentenceEmbeddings.Pool(output, text.AttentionMaskName is { } mask ? batch.Inputs[mask] : null, outputName);
                perSample = pooled.Length / Math.Max(1, count);
                scores.AddRange(pooled);
                continue;
            }

            perSample = (int)(output.ElementCount / Math.Max(1, count));
            scores.AddRange(output.ToDoubleArray());
            progress?.Report((double)(start + count) / total);
            if (batch.Labels is { } labels)
            {
                if (accumulator is not null)
                {
                    accumulator.Add(output, labels);
                }
                else
                {
                    regression!.Add(output, labels);
                }
            }
        }

        var evaluated = perSample == 0 ? 0 : scores.Count / perSample;
        if (data.Labels is null)
        {
            // No labels: only fidelity against another variant can be judged.
            return new EvaluationResult(metric, double.NaN, evaluated, null, null, [.. scores], perSample) { Embeddings = text is not null, TruncatedRows = text?.TruncatedRows ?? 0 };
        }

        if (accumulator is not null)
        {
            var m = accumulator.Result();
            var value = metric switch { "top5" => m.TopKAccuracy, "f1" => m.MacroF1, _ => m.Top1Accuracy };
            return new EvaluationResult(metric, value, m.Count, m.GetTop1Correct(), null, [.. scores], perSample) { Classification = m };
        }

        var r = regression!.Result();
        return metric switch
        {
            "mae" or "rmse" => new EvaluationResult(metric, metric == "mae" ? r.MeanAbsoluteError : r.RootMeanSquaredError, r.Count, null, r.GetSampleAbsoluteErrors(), [.. scores], perSample) { Regression = r },
            _ => throw new PipelineGateException(PgCode.ConfigInvalidValue, $"Metric '{metric}' is not one of {EvaluationMetrics.Choices}.", data.Location.File, data.Location.Line, data.Location.Column),
        };
    }
}
