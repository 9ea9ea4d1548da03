using System.Globalization;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.Pruning;

namespace PipelineGate.Optimize.Search;

/// <summary>
/// prune with max-drop: each layer (for channels, each cluster of tied layers; for heads and ffn, each attention
/// or FFN block) is pruned at the requested sparsity, at half of it, or not at all, as <see cref="LayerSearch"/>
/// finds within the budget. Always per layer (a global ranking is replaced by the searched per-layer ratios); an
/// N:M pattern is applied to a layer or not. Within a layer, which weights, channels, heads or neurons go is still
/// the pruner's importance ranking; the search chooses how many by the measured drop.
/// </summary>
internal static class PruneSearch
{
    public static OptimizationOutput Apply(ModelFile input, PruneOptions options, DataConfig? data, IProgress<string>? log)
    {
        var maxDrop = options.MaxDrop!.Value;
        var evaluator = SearchSteps.Evaluator(input, data, "prune");
        options = options with { PerLayer = true };
        Func<PruneOptions, OptimizationOutput> prune = options.Method switch
        {
            "channel" => o => ChannelPruner.Apply(input, o),
            "heads" => o => HeadPruner.Apply(input, o),
            "ffn" => o => FfnPruner.Apply(input, o),
            _ => o => MagnitudePruner.Apply(input, o),
        };
        var levels = options.Pattern is null ? new[] { options.Sparsity, options.Sparsity / 2 } : [options.Sparsity];
        var tied = new Dictionary<string, int>(StringComparer.Ordinal);
        var units = new Dictionary<string, int>(StringComparer.Ordinal);
        List<SearchLayer> layers;
        if (options.Method == "channel")
        {
            var clusters = ChannelPruner.Plan(input, options).Clusters;
            layers = [.. clusters.Select(c => new SearchLayer(c.Label, levels, (long)(c.Channels * options.Sparsity) * c.Layers))];
            foreach (var c in clusters)
            {
                tied[c.Label] = c.Layers - 1;
            }
        }
        else if (options.Method is "heads" or "ffn")
        {
            layers = [];
            var multipleOf = options.Method == "heads" ? 1 : options.MultipleOf;
            foreach (var b in options.Method == "heads" ? HeadPruner.Blocks(input) : FfnPruner.Blocks(input))
            {
                // A level that removes nothing, or as many units as a stronger one, would only repeat a measurement.
                var distinct = levels.Select(s => (Sparsity: s, Removed: StructuredSelection.RemovedCount(b.Units, s, multipleOf)))
                    .Where(static l => l.Removed > 0).DistinctBy(static l => l.Removed).ToList();
                if (distinct.Count > 0)
                {
                    layers.Add(new SearchLayer(b.Label, [.. distinct.Select(static l => l.Sparsity)], distinct[0].Removed * b.ParametersPerUnit));
                    units[b.Label] = b.Units;
                }
            }
        }
        else
        {
            layers = [.. MagnitudePruner.Layers(input, options, []).Select(l => new SearchLayer(l.Layer, levels, (long)(l.Tensor.Dims.Aggregate(1L, static (a, d) => a * d) * options.Sparsity)))];
        }

        if (layers.Count == 0)
        {
            return prune(options); // reports that nothing is prunable
        }

        var outcome = LayerSearch.Run(layers, chosen => prune(options with { LayerSparsity = chosen }).Model, evaluator, maxDrop, $"prune ({options.Method})", input.DisplayPath, log);
        var result = prune(options with { LayerSparsity = outcome.Chosen });
        var unit = options.Method == "heads" ? "heads" : "neurons";
        var multiple = options.Method == "heads" ? 1 : options.MultipleOf;
        return SearchSteps.Finish(result, outcome, evaluator, maxDrop, layers.Count, "prune", (label, sparsity) =>
            units.TryGetValue(label, out var n)
                ? string.Create(CultureInfo.InvariantCulture, $"{label} {sparsity:0.###} ({n}→{n - StructuredSelection.RemovedCount(n, sparsity, multiple)} {unit})")
                : string.Create(CultureInfo.InvariantCulture, $"{label}{(tied.GetValueOrDefault(label) is > 0 and var t ? $" (+{t} tied)" : "")} {sparsity:0.###}"));
    }
}
