using System.Globalization;

namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// Accuracy-aware fallback. Each candidate node is quantized alone (its weight, its input and its
/// output) and the error of the model's output against the float model is measured; then the most
/// sensitive nodes are kept in float, largest error first, with the smallest count that brings the
/// budgeted drop within the limit (found by doubling the count, then bisecting, assuming that keeping
/// more nodes does not make the model worse).
/// </summary>
internal static class SensitivityFallback
{
    public sealed record Outcome(HashSet<string> Keep, IReadOnlyList<(string Label, double Error)> Ranking, double DropAllQuantized, double Drop, bool WithinBudget, int ModelsEvaluated);

    public static Outcome Search(QdqBuilder builder, FallbackEvaluator evaluator, double maxDrop, IProgress<string>? log)
    {
        var evaluated = 0;
        var drops = new Dictionary<int, double>();
        var ranking = new List<(string Label, double Error)>();
        double DropWith(int k)
        {
            if (!drops.TryGetValue(k, out var d))
            {
                evaluated++;
                d = evaluator.Drop(builder.Build(Top(ranking, k)).Model);
                drops[k] = d;
                log?.Report(string.Create(CultureInfo.InvariantCulture, $"fallback: {k} node(s) in float → {evaluator.MetricName} {d:0.00000}"));
            }

            return d;
        }

        var dropAll = DropWith(0);
        if (dropAll <= maxDrop)
        {
            return new Outcome([], ranking, dropAll, dropAll, true, evaluated);
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
            return new Outcome(Top(ranking, high), ranking, dropAll, drops[high], false, evaluated);
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

        return new Outcome(Top(ranking, high), ranking, dropAll, drops[high], true, evaluated);
    }

    private static HashSet<string> Top(List<(string Label, double Error)> ranking, int k) =>
        ranking.Take(k).Select(static r => r.Label).ToHashSet(StringComparer.Ordinal);
}
