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
/// </summary>
internal static class SensitivityFallback
{
    /// <summary>With fallback: auto, a node holding less than this share of all candidates' weights stays float (its int8 weight would save little).</summary>
    public const double AutoFloatShare = 0.01;

    public sealed record Outcome(HashSet<string> Keep, HashSet<string> Wide, IReadOnlyList<(string Label, double Error)> Ranking, double DropAllQuantized, double Drop, bool WithinBudget, int ModelsEvaluated);

    public static Outcome Search(QdqBuilder builder, FallbackEvaluator evaluator, double maxDrop, string tier, IProgress<string>? log)
    {
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

        while (high - low > 1)
        {
            var mid = (low + high) / 2;
            if (DropWith(mid) <= maxDrop)
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        var (keepFinal, wideFinal) = Split(Top(ranking, high), wideTier);
        return new Outcome(keepFinal, wideFinal, ranking, dropAll, drops[high], true, evaluated);
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
