using System.Globalization;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.Pruning;

namespace PipelineGate.Optimize.Search;

/// <summary>
/// prune with max-drop: each layer (for channels, each cluster of tied layers) is pruned at the requested sparsity,
/// at half of it, or not at all, as <see cref="LayerSearch"/> finds within the budget. Always per layer (a global
/// ranking is replaced by the searched per-layer ratios); an N:M pattern is applied to a layer or not.
/// </summary>
internal static class PruneSearch
{
    public static OptimizationOutput Apply(ModelFile input, PruneOptions options, DataConfig? data, IProgress<string>? log)
    {
        var maxDrop = options.MaxDrop!.Value;
        var evaluator = SearchSteps.Evaluator(input, data, "prune");
        options = options with { PerLayer = true };
        Func<PruneOptions, OptimizationOutput> prune = options.Method == "channel"
            ? o => ChannelPruner.Apply(input, o)
            : o => MagnitudePruner.Apply(input, o);
        var levels = options.Pattern is null ? new[] { options.Sparsity, options.Sparsity / 2 } : [options.Sparsity];
        var tied = new Dictionary<string, int>(StringComparer.Ordinal);
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
        return SearchSteps.Finish(result, outcome, evaluator, maxDrop, layers.Count, "prune", (label, sparsity) =>
            string.Create(CultureInfo.InvariantCulture, $"{label}{(tied.GetValueOrDefault(label) is > 0 and var t ? $" (+{t} tied)" : "")} {sparsity:0.###}"));
    }
}
