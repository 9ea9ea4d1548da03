namespace PipelineGate.Optimize.Pruning;

/// <summary>
/// A block that structured pruning (heads, ffn) can shrink, for the accuracy-aware search: its label (the key of
/// <see cref="PruneOptions.LayerSparsity"/>), its units (heads or neurons) and the parameters one unit holds.
/// </summary>
internal sealed record StructuredBlock(string Label, int Units, long ParametersPerUnit);

/// <summary>
/// Which units (attention heads, FFN neurons) each layer loses, from their importance scores: the same share in
/// every layer (or each layer's own share, <c>layerSparsity</c>, as the search chose it), or ranked across layers
/// by score over the layer's mean score (layers are on different scales). Every layer keeps at least one unit,
/// and a multiple of <c>multipleOf</c> units where it can.
/// </summary>
internal static class StructuredSelection
{
    public static List<int[]> Removed(IReadOnlyList<double[]> scores, double sparsity, bool perLayer, int multipleOf, IReadOnlyList<double>? layerSparsity = null)
    {
        var removed = scores.Select(static _ => new List<int>()).ToList();
        if (perLayer || layerSparsity is not null)
        {
            for (var l = 0; l < scores.Count; l++)
            {
                var n = scores[l].Length;
                var k = Math.Min(Count(layerSparsity?[l] ?? sparsity, n), n - 1);
                removed[l].AddRange(Lowest(scores[l]).Take(k));
            }
        }
        else
        {
            var total = scores.Sum(static s => s.Length);
            var k = Count(sparsity, total);
            var ranked = scores
                .SelectMany(static (s, l) => s.Select((v, u) => (Layer: l, Unit: u, Relative: s.Average() is var mean && mean > 0 ? v / mean : 0)))
                .OrderBy(static x => x.Relative).ThenBy(static x => x.Layer).ThenBy(static x => x.Unit);
            foreach (var (layer, unit, _) in ranked)
            {
                if (k == 0)
                {
                    break;
                }

                if (removed[layer].Count < scores[layer].Length - 1)
                {
                    removed[layer].Add(unit);
                    k--;
                }
            }
        }

        // Round the kept count up to a multiple: give back the most important of the removed units.
        for (var l = 0; l < scores.Count; l++)
        {
            var n = scores[l].Length;
            var kept = n - removed[l].Count;
            var target = Math.Min(n, (kept + multipleOf - 1) / multipleOf * multipleOf);
            var back = removed[l].OrderByDescending(u => scores[l][u]).ThenBy(static u => u).Take(target - kept).ToHashSet();
            removed[l].RemoveAll(back.Contains);
        }

        return [.. removed.Select(static r => r.Order().ToArray())];
    }

    /// <summary>How many of a layer's <paramref name="units"/> a per-layer share removes, after the multiple-of rounding (what <see cref="Removed"/> does per layer).</summary>
    public static int RemovedCount(int units, double sparsity, int multipleOf)
    {
        var kept = units - Math.Min(Count(sparsity, units), units - 1);
        return units - Math.Min(units, (kept + multipleOf - 1) / multipleOf * multipleOf);
    }

    /// <summary>The share of n rounded down, so that e.g. a third of 12 heads is 4 although 12 × 0.333… is 3.99….</summary>
    private static int Count(double share, int n) => (int)Math.Floor((share * n) + 1e-6);

    /// <summary>Unit indices from the least important (ties by index, so the result is deterministic).</summary>
    private static IEnumerable<int> Lowest(double[] scores) =>
        Enumerable.Range(0, scores.Length).OrderBy(u => scores[u]).ThenBy(static u => u);

    /// <summary>The positions kept when each of the given units spans <paramref name="width"/> consecutive positions.</summary>
    public static int[] KeptPositions(int units, int width, IReadOnlyCollection<int> removed) =>
        [.. Enumerable.Range(0, units).Where(u => !removed.Contains(u)).SelectMany(u => Enumerable.Range(u * width, width))];
}
