using System.Globalization;
using PipelineGate.Gate.Config;
using PipelineGate.Onnx.IO;
using PipelineGate.Optimize.LowRank;

namespace PipelineGate.Optimize.Search;

/// <summary>
/// factorize with max-drop: each MatMul/Gemm weight gets its candidate rank (from energy or rank), a milder one
/// (halfway to the largest rank that still saves parameters), or stays whole, as <see cref="LayerSearch"/> finds
/// within the budget. Each weight's SVD is computed once for the whole search.
/// </summary>
internal static class FactorizeSearch
{
    public static OptimizationOutput Apply(ModelFile input, FactorizeOptions options, DataConfig? data, IProgress<string>? log)
    {
        var maxDrop = options.MaxDrop!.Value;
        var evaluator = SearchSteps.Evaluator(input, data, "factorize");
        var cache = new Dictionary<string, SvdResult>(StringComparer.Ordinal);
        var shapes = new Dictionary<string, string>(StringComparer.Ordinal);
        var layers = new List<SearchLayer>();
        foreach (var l in LowRankFactorizer.Layers(input, cache))
        {
            var rank = options.Rank is { } r ? Math.Min(r, l.Svd.S.Length) : LowRankFactorizer.RankForEnergy(l.Svd.S, options.Energy);
            var largest = (int)Math.Ceiling(l.Limit) - 1; // the largest rank that still saves
            if (rank > largest)
            {
                continue;
            }

            var milder = (rank + largest + 1) / 2;
            layers.Add(new SearchLayer(l.Label, milder > rank ? [rank, milder] : [rank], ((long)l.K * l.N) - (((long)l.K + l.N) * rank)));
            shapes[l.Label] = string.Create(CultureInfo.InvariantCulture, $"{l.K}×{l.N}");
        }

        if (layers.Count == 0)
        {
            return LowRankFactorizer.Apply(input, options); // reports that nothing is worth factorizing
        }

        OptimizationOutput Build(IReadOnlyDictionary<string, double> chosen) =>
            LowRankFactorizer.Apply(input, options with { LayerRanks = chosen.ToDictionary(static c => c.Key, static c => (int)c.Value, StringComparer.Ordinal) }, requireSaving: true, cache);

        var outcome = LayerSearch.Run(layers, chosen => Build(chosen).Model, evaluator, maxDrop, "factorize", input.DisplayPath, log);
        return SearchSteps.Finish(Build(outcome.Chosen), outcome, evaluator, maxDrop, layers.Count, "factorize",
            (label, rank) => string.Create(CultureInfo.InvariantCulture, $"{label} {shapes[label]} → rank {rank:0}"));
    }
}
