using System.Globalization;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Accuracy-aware fallback. Each candidate node is quantized alone (its weight, its input and its
/// output) and the error of the model's output against the float model is measured; then the most
/// sensitive nodes fall back, largest error first, with the smallest count that brings the budgeted
/// drop within the limit (found by doubling the count, then bisecting, assuming that more fallback does
/// not make the model worse). A node falls back to its tier: kept in float, or int8 weights with uint16
/// activations (<see cref="QuantizeOptions.Fallback"/>; auto = float for a node holding under
/// <see cref="AutoFloatShare"/> of the weights, else uint16).
/// <para>
/// The ranking is measured once, not after every step: re-ranking costs one model evaluation per
/// remaining node per step (62 × k on the PP-OCRv4 detector), and every count the search tries is a
/// measured drop of the whole model, not a sum of per-node errors, so interactions between fallen-back
/// nodes are in the numbers that decide. A tried refinement (giving nodes back to int8 one by one while
/// the measured drop held) fitted the fallback's own samples: on the PP-OCRv4 recognizer it kept fewer
/// nodes and held-out top-1 agreement fell from 1.000 to 0.975, so it is not done.
/// </para>
/// <para>
/// Re-ranking in rounds (<see cref="QuantizeOptions.Rerank"/>, 0 by default): after the search above has
/// chosen a set F within budget, each round measures every node's <b>marginal value in that context</b>
/// with whole-model drops: for a node in F, drop(F − {n}) − drop(F) (what giving it back to int8 would
/// cost); for a node still quantized, drop(F) − drop(F + {n}) (what falling it back as well would gain).
/// All nodes are re-ranked by that value (ties: the one-pass ranking's order); two orders are then searched
/// by bisection for the smallest count up to |F| whose measured drop holds: the whole new ranking (swaps: a
/// fallen-back node of little use makes way for a quantized one of more) and F's own members by value (fall
/// back fewer). The new set is taken when it is smaller than F, or as small with a lower measured drop;
/// otherwise the rounds stop. A round costs one model evaluation per candidate node plus at most
/// 1 + 2·⌈log2 |F|⌉ for the bisections; every accepted set is a measured drop.
/// </para>
/// </summary>
internal static class SensitivityFallback
{
    /// <summary>With fallback: auto, a node holding less than this share of all candidates' weights stays float (its int8 weight would save little).</summary>
    public const double AutoFloatShare = 0.01;

    /// <summary>The most re-ranking rounds allowed (each costs one model evaluation per candidate node).</summary>
    public const int MaxRerankRounds = 3;

    /// <summary>One re-ranking round: the set it ended with (count, measured drop), whether it replaced the previous set, and the models it evaluated.</summary>
    public sealed record RerankRound(int Fallen, double Drop, bool Accepted, int ModelsEvaluated);

    /// <summary>
    /// The search's result. <see cref="FirstRoundFallen"/> and <see cref="FirstRoundDrop"/> are the one-pass search's
    /// (round 1); with re-ranking, <see cref="Keep"/>/<see cref="Wide"/>/<see cref="Drop"/> are the last accepted set's.
    /// </summary>
    public sealed record Outcome(HashSet<string> Keep, HashSet<string> Wide, IReadOnlyList<(string Label, double Error)> Ranking, double DropAllQuantized, double Drop, bool WithinBudget, int ModelsEvaluated)
    {
        public int FirstRoundFallen { get; init; } = Keep.Count + Wide.Count;

        public double FirstRoundDrop { get; init; } = Drop;

        public int FirstRoundModelsEvaluated { get; init; } = ModelsEvaluated;

        public IReadOnlyList<RerankRound> Reranks { get; init; } = [];
    }

    public static Outcome Search(QdqBuilder builder, FallbackEvaluator evaluator, double maxDrop, string tier, IProgress<string>? log) =>
        Search(builder, evaluator, maxDrop, tier, rerank: 0, log);

    public static Outcome Search(QdqBuilder builder, FallbackEvaluator evaluator, double maxDrop, string tier, int rerank, IProgress<string>? log)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rerank);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rerank, MaxRerankRounds);
        var evaluated = 0;
        var wideTier = builder.Nodes.ToDictionary(static n => n.Label, n => tier == "uint16" || (tier == "auto" && builder.WeightShare(n) >= AutoFloatShare), StringComparer.Ordinal);
        double Measure(IReadOnlyCollection<string> fallen)
        {
            evaluated++;
            var (keep, wide) = Split(fallen, wideTier);
            return evaluator.Drop(builder.Build(keep, wide).Model);
        }

        var drops = new Dictionary<int, double>();
        var ranking = new List<(string Label, double Error)>();
        double DropWith(int k)
        {
            if (!drops.TryGetValue(k, out var d))
            {
                d = Measure(Top(ranking, k));
                drops[k] = d;
                log?.Report(string.Create(CultureInfo.InvariantCulture, $"fallback: {k} node(s) in {(tier == "auto" ? "float or uint16" : tier)} → {evaluator.MetricName} {d:0.00000}"));
            }

            return d;
        }

        var dropAll = DropWith(0);
        if (dropAll <= maxDrop)
        {
            return new Outcome([], [], ranking, dropAll, dropAll, true, evaluated);
        }

        var labels = builder.Nodes.Select(static n => n.Label).ToList();
        foreach (var label in labels)
        {
            var others = labels.Where(l => l != label).ToHashSet(StringComparer.Ordinal);
            evaluated++;
            ranking.Add((label, evaluator.Error(builder.Build(others, isolateKept: false).Model)));
        }

        ranking.Sort(static (a, b) => b.Error.CompareTo(a.Error));
        log?.Report("fallback: most sensitive " + string.Join(", ", ranking.Take(8).Select(static r => string.Create(CultureInfo.InvariantCulture, $"{r.Label} {r.Error:0.0000}"))));

        // Double the count until the budget holds, then bisect between the last failing and the first passing count.
        var n = ranking.Count;
        var low = 0;
        var high = 1;
        while (high < n && DropWith(high) > maxDrop)
        {
            low = high;
            high = Math.Min(n, high * 2);
        }

        if (DropWith(high) > maxDrop)
        {
            var (k, w) = Split(Top(ranking, high), wideTier);
            return new Outcome(k, w, ranking, dropAll, drops[high], false, evaluated);
        }

        high = Bisect(low, high, k => DropWith(k) <= maxDrop);
        var (keepFinal, wideFinal) = Split(Top(ranking, high), wideTier);
        var first = new Outcome(keepFinal, wideFinal, ranking, dropAll, drops[high], true, evaluated);
        return rerank == 0 ? first : Rerank(first, Top(ranking, high), labels, maxDrop, rerank, Measure, () => evaluated, wideTier, evaluator, log);
    }

    private static Outcome Rerank(Outcome first, List<string> fallen, List<string> labels, double maxDrop, int rounds, Func<IReadOnlyCollection<string>, double> measure,
        Func<int> evaluated, Dictionary<string, bool> wideTier, FallbackEvaluator evaluator, IProgress<string>? log)
    {
        // Every set's drop is measured once; the key is the set, in the one-pass ranking's order.
        var order = first.Ranking.Select(static (r, i) => (r.Label, i)).ToDictionary(static p => p.Label, static p => p.i, StringComparer.Ordinal);
        var measured = new Dictionary<string, double>(StringComparer.Ordinal);
        double DropOf(IEnumerable<string> set)
        {
            var list = set.OrderBy(l => order[l]).ToList();
            var key = string.Join("\n", list);
            if (!measured.TryGetValue(key, out var d))
            {
                d = measure(list);
                measured[key] = d;
            }

            return d;
        }

        var current = fallen.ToList();
        var drop = first.Drop;
        measured[string.Join("\n", current.OrderBy(l => order[l]))] = drop;
        var history = new List<RerankRound>();
        for (var round = 0; round < rounds; round++)
        {
            var before = evaluated();
            var inSet = current.ToHashSet(StringComparer.Ordinal);
            var value = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var label in labels)
            {
                value[label] = inSet.Contains(label)
                    ? DropOf(current.Where(l => l != label)) - drop
                    : drop - DropOf(current.Append(label));
            }

            var reranked = labels.OrderByDescending(l => value[l]).ThenBy(l => order[l]).ToList();
            log?.Report($"fallback: re-rank round {round + 1}, most useful in context " + string.Join(", ", reranked.Take(8).Select(l => string.Create(CultureInfo.InvariantCulture, $"{l} {value[l]:+0.00000;-0.00000;0}"))));

            // Two orders are searched: the full re-ranking (a fallen-back node of little use can make way for a
            // still-quantized one of more), and F alone by its members' value (fall back fewer). For each, the
            // smallest count up to |F| whose measured drop holds, by bisection between 0 (all quantized: over
            // budget) and |F|; the smaller set wins, then the lower drop.
            var byValue = reranked.Where(inSet.Contains).ToList();
            List<string>? candidate = null;
            var candidateDrop = double.PositiveInfinity;
            foreach (var ordering in new[] { reranked, byValue })
            {
                if (Smallest(ordering, current.Count, maxDrop, DropOf) is { } found)
                {
                    var d = DropOf(found);
                    if (candidate is null || found.Count < candidate.Count || (found.Count == candidate.Count && d < candidateDrop))
                    {
                        candidate = found;
                        candidateDrop = d;
                    }
                }
            }

            if (candidate is null)
            {
                log?.Report($"fallback: re-rank round {round + 1}: no set of at most {current.Count} node(s) in the new order holds the budget; kept the previous set");
                history.Add(new RerankRound(current.Count, drop, false, evaluated() - before));
                break;
            }

            var same = candidate.Count == current.Count && candidate.All(inSet.Contains);
            var accepted = !same && (candidate.Count < current.Count || candidateDrop < drop);
            log?.Report(string.Create(CultureInfo.InvariantCulture,
                $"fallback: re-rank round {round + 1}: {candidate.Count} node(s) → {evaluator.MetricName} {candidateDrop:0.00000} ({(accepted ? "taken" : "kept the previous " + current.Count)}; {evaluated() - before} models)"));
            history.Add(new RerankRound(accepted ? candidate.Count : current.Count, accepted ? candidateDrop : drop, accepted, evaluated() - before));
            if (!accepted)
            {
                break;
            }

            current = candidate;
            drop = candidateDrop;
        }

        var (keep, wide) = Split(current, wideTier);
        return new Outcome(keep, wide, first.Ranking, first.DropAllQuantized, drop, true, evaluated())
        {
            FirstRoundFallen = first.Keep.Count + first.Wide.Count,
            FirstRoundDrop = first.Drop,
            FirstRoundModelsEvaluated = first.ModelsEvaluated,
            Reranks = history,
        };
    }

    /// <summary>The shortest prefix of <paramref name="order"/>, at most <paramref name="limit"/> long, whose drop holds, found by bisection (assuming more fallback does not hurt); null when the longest does not hold.</summary>
    private static List<string>? Smallest(List<string> order, int limit, double maxDrop, Func<IEnumerable<string>, double> dropOf)
    {
        var high = Math.Min(limit, order.Count);
        if (dropOf(order.Take(high)) > maxDrop)
        {
            return null;
        }

        return order.Take(Bisect(0, high, k => dropOf(order.Take(k)) <= maxDrop)).ToList();
    }

    /// <summary>
    /// The smallest count in (<paramref name="low"/>, <paramref name="high"/>] that holds, by bisection, given that
    /// <paramref name="high"/> holds and <paramref name="low"/> does not (more fallback is assumed not to hurt).
    /// </summary>
    private static int Bisect(int low, int high, Func<int, bool> holds)
    {
        while (high - low > 1)
        {
            var mid = (low + high) / 2;
            if (holds(mid))
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        return high;
    }

    private static (HashSet<string> Keep, HashSet<string> Wide) Split(IEnumerable<string> fallen, Dictionary<string, bool> wideTier)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var wide = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in fallen)
        {
            (wideTier[label] ? wide : keep).Add(label);
        }

        return (keep, wide);
    }

    private static List<string> Top(List<(string Label, double Error)> ranking, int k) =>
        ranking.Take(k).Select(static r => r.Label).ToList();
}
