using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.Quantization;

namespace PipelineGate.Optimize.Search;

/// <summary>A layer the search may compress, with its settings from the most aggressive (the requested one) to the mildest; leaving it alone is always possible.</summary>
/// <param name="Label">The key the recipe's per-layer map uses.</param>
/// <param name="Levels">Sparsities or ranks, most aggressive first.</param>
/// <param name="Saving">What the most aggressive level saves (parameters), to break ties between equally sensitive layers.</param>
internal sealed record SearchLayer(string Label, IReadOnlyList<double> Levels, long Saving);

/// <summary>
/// Accuracy-aware per-layer search, for pruning and factorization. Each layer is compressed alone at its
/// requested level and the relative L2 error of the model's output is measured (its sensitivity); then the
/// least sensitive layers are compressed together, the largest count within the budget found by bisection
/// (assuming one more compressed layer does not make the model better); then every remaining layer, least
/// sensitive first, gets the most aggressive of its levels that keeps the measured drop within budget, or
/// stays whole. Every configuration kept was measured, so the result is never over budget.
/// </summary>
internal static class LayerSearch
{
    public sealed record Outcome(
        IReadOnlyDictionary<string, double> Chosen,
        IReadOnlyList<(string Label, double Error)> Sensitivity,
        double DropAll,
        double Drop,
        int ModelsEvaluated);

    public static Outcome Run(
        IReadOnlyList<SearchLayer> layers,
        Func<IReadOnlyDictionary<string, double>, ModelFile> build,
        FallbackEvaluator evaluator,
        double maxDrop,
        string what,
        string model,
        IProgress<string>? log)
    {
        var evaluated = 0;
        double DropOf(Dictionary<string, double> chosen)
        {
            if (chosen.Count == 0)
            {
                return 0;
            }

            evaluated++;
            return evaluator.Drop(build(chosen));
        }

        var all = layers.ToDictionary(static l => l.Label, static l => l.Levels[0], StringComparer.Ordinal);
        var dropAll = DropOf(all);
        log?.Report(string.Create(CultureInfo.InvariantCulture, $"search: every layer at the requested level → {evaluator.MetricName} {dropAll:0.00000} (max-drop {maxDrop:0.#####})"));
        if (dropAll <= maxDrop)
        {
            return new Outcome(all, [], dropAll, dropAll, evaluated);
        }

        var sensitivity = new List<(string Label, double Error)>();
        foreach (var layer in layers)
        {
            evaluated++;
            sensitivity.Add((layer.Label, evaluator.Error(build(new Dictionary<string, double>(StringComparer.Ordinal) { [layer.Label] = layer.Levels[0] }))));
        }

        var saving = layers.ToDictionary(static l => l.Label, static l => l.Saving, StringComparer.Ordinal);
        var ordered = sensitivity.OrderBy(static s => s.Error).ThenByDescending(s => saving[s.Label]).ThenBy(static s => s.Label, StringComparer.Ordinal).ToList();
        log?.Report("search: least sensitive " + string.Join(", ", ordered.Take(8).Select(static s => string.Create(CultureInfo.InvariantCulture, $"{s.Label} {s.Error:0.0000}"))));
        var byLabel = layers.ToDictionary(static l => l.Label, StringComparer.Ordinal);
        Dictionary<string, double> Top(int k) => ordered.Take(k).ToDictionary(static s => s.Label, s => byLabel[s.Label].Levels[0], StringComparer.Ordinal);

        // The k least sensitive at the requested level: k = n is over budget, k = 0 is the original.
        int low = 0, high = layers.Count;
        var drop = 0.0;
        while (high - low > 1)
        {
            var mid = (low + high) / 2;
            var d = DropOf(Top(mid));
            log?.Report(string.Create(CultureInfo.InvariantCulture, $"search: {mid} least sensitive layer(s) → {d:0.00000}"));
            if (d <= maxDrop)
            {
                (low, drop) = (mid, d);
            }
            else
            {
                high = mid;
            }
        }

        // Then each remaining layer at the most aggressive level that still fits, or not at all.
        var chosen = Top(low);
        foreach (var (label, _) in ordered.Skip(low))
        {
            foreach (var level in byLabel[label].Levels)
            {
                var trial = new Dictionary<string, double>(chosen, StringComparer.Ordinal) { [label] = level };
                var d = DropOf(trial);
                if (d <= maxDrop)
                {
                    (chosen, drop) = (trial, d);
                    log?.Report(string.Create(CultureInfo.InvariantCulture, $"search: + {label} at {level:0.###} → {d:0.00000}"));
                    break;
                }
            }
        }

        if (chosen.Count == 0)
        {
            throw new PipelineGateException(PgCode.SearchBudgetUnreachable,
                string.Create(CultureInfo.InvariantCulture,
                    $"{what}: no layer can be compressed within max-drop {maxDrop:0.#####} ({evaluator.MetricName} on {evaluator.Samples} sample(s) of {Path.GetFileName(evaluator.Source.TrimEnd('/', '\\'))}): every layer alone at its mildest level already drops more, and all layers at the requested level drop {dropAll:0.00000}; no model was written."),
                model, hint: "Allow a larger max-drop, request a smaller sparsity (or a higher energy), or drop the step for this model.");
        }

        return new Outcome(chosen, sensitivity, dropAll, drop, evaluated);
    }

    /// <summary>The search's note: metric, data, what was chosen per layer, the measured drop.</summary>
    public static string Note(Outcome outcome, FallbackEvaluator evaluator, double maxDrop, int layers, Func<string, double, string> describe)
    {
        var head = string.Create(CultureInfo.InvariantCulture,
            $"accuracy-aware search (max-drop {maxDrop:0.#####}, {evaluator.MetricName} vs the original on {evaluator.Samples} sample(s) of {Path.GetFileName(evaluator.Source.TrimEnd('/', '\\'))}): every layer at the requested level drops {outcome.DropAll:0.00000}");
        if (outcome.Sensitivity.Count == 0)
        {
            return head + " — within budget, every layer kept at it.";
        }

        var errors = outcome.Sensitivity.ToDictionary(static s => s.Label, static s => s.Error, StringComparer.Ordinal);
        var chosen = string.Join("; ", outcome.Chosen.OrderBy(c => errors[c.Key]).Select(c => describe(c.Key, c.Value) + string.Create(CultureInfo.InvariantCulture, $" (alone at the requested level: relative L2 {errors[c.Key]:0.0000})")));
        return head + string.Create(CultureInfo.InvariantCulture,
            $"; chose {outcome.Chosen.Count} of {layers} layer(s), measured drop {outcome.Drop:0.00000} ({outcome.ModelsEvaluated} models evaluated); the others stay whole. Chosen, least sensitive first: {chosen}.");
    }
}
