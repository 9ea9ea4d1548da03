using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.Quantization;

namespace PipelineGate.Optimize.Search;

/// <summary>What the prune and factorize searches share: the evaluation data, the final measured check, the notes and the metadata.</summary>
internal static class SearchSteps
{
    public const string MetadataKey = "pipelinegate.search";

    /// <summary>The evaluator over the data the drop is measured on; a search without data is a coded error.</summary>
    public static FallbackEvaluator Evaluator(ModelFile input, DataConfig? data, string kind)
    {
        if (data is null)
        {
            throw new PipelineGateException(PgCode.SearchNeedsData,
                $"{kind} max-drop needs evaluation data to measure the drop on, and none was given.",
                input.DisplayPath, hint: $"Pass --data (and --labels for an accuracy drop) to '{kind}', or give the model 'eval' data in pipelinegate.yml; or remove max-drop.");
        }

        // Text data (data: { text, tokenizer }, or --text --tokenizer) is tokenized as evaluation reads it.
        return FallbackEvaluator.Create(input, data.Path, data.Inputs, data.Labels, data.Limit, text: CalibrationData.TextInputs.Of(data, input));
    }

    /// <summary>Measures the built result once more (it must be within budget), and adds the search's notes and metadata.</summary>
    public static OptimizationOutput Finish(OptimizationOutput result, LayerSearch.Outcome outcome, FallbackEvaluator evaluator, double maxDrop, int layers, string kind, Func<string, double, string> describe)
    {
        var drop = evaluator.Drop(result.Model);
        if (drop > maxDrop)
        {
            throw new PipelineGateException(PgCode.RecipeFailed,
                string.Create(CultureInfo.InvariantCulture, $"{kind}: the searched model measures {evaluator.MetricName} {drop:0.00000} above max-drop {maxDrop:0.#####}, although the search measured {outcome.Drop:0.00000}; no model was written."),
                result.Model.DisplayPath, hint: "This is a bug in PipelineGate's search (the build is not deterministic): please report it with the model; remove max-drop meanwhile.");
        }

        OptimizationMetadata.Stamp(result.Model.Model, MetadataKey, new Dictionary<string, object>
        {
            ["step"] = kind,
            ["maxDrop"] = maxDrop,
            ["metric"] = evaluator.MetricName,
            ["drop"] = drop,
            ["samples"] = evaluator.Samples,
            ["layers"] = outcome.Chosen.ToDictionary(static c => c.Key, static c => c.Value, StringComparer.Ordinal),
            ["modelsEvaluated"] = outcome.ModelsEvaluated + 1,
        });
        var notes = result.Notes.ToList();
        notes.Add(LayerSearch.Note(outcome, evaluator, maxDrop, layers, describe));
        notes.Add(evaluator.Describe(result.Model) + string.Create(CultureInfo.InvariantCulture, $"; {evaluator.MetricName} {drop:0.00000} ≤ max-drop {maxDrop:0.#####} (the same data chose the layers: optimistic; check on held-out data)."));
        return new OptimizationOutput(result.Model, notes);
    }
}
