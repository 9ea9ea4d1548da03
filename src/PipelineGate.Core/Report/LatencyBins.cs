using PipelineGate.Gate.Results;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Report;

/// <summary>
/// Baseline and candidate latency samples binned on one shared axis, so that the text and SVG charts
/// show the two distributions comparably. The axis ends at the larger p99: a few scheduler spikes
/// would otherwise squeeze the bulk of the distribution into a couple of bins. Samples beyond it are
/// counted in the last bin and reported as <see cref="Overflow"/>.
/// </summary>
internal sealed record LatencyBins(
    string Title,
    double Lo,
    double Hi,
    int[] Baseline,
    int[] Candidate,
    int Overflow,
    SampleSummary BaselineSummary,
    SampleSummary CandidateSummary)
{
    public double Width => (Hi - Lo) / Baseline.Length;

    /// <summary>Share of a series' samples in bin <paramref name="i"/> (the series are rarely the same size).</summary>
    public static double Share(int[] counts, int i)
    {
        var total = counts.Sum();
        return total == 0 ? 0 : (double)counts[i] / total;
    }

    public double MaxShare => Math.Max(
        Enumerable.Range(0, Baseline.Length).Max(i => Share(Baseline, i)),
        Enumerable.Range(0, Candidate.Length).Max(i => Share(Candidate, i)));

    /// <summary>Every variant/target of the results with samples on both sides, in results order.</summary>
    public static IEnumerable<LatencyBins> All(GateResult r, int bins)
    {
        foreach (var model in r.Models)
        {
            foreach (var variant in model.Variants)
            {
                foreach (var target in variant.Targets)
                {
                    if (target.BaselineLatency?.SamplesMs is { Length: > 1 } b && target.Latency?.SamplesMs is { Length: > 1 } c)
                    {
                        var title = r.Models.Count > 1 ? $"{model.Name} · {variant.Name} · {target.Target}" : $"{variant.Name} · {target.Target}";
                        yield return Of(title, b, c, bins, target.BaselineLatency.Summary, target.Latency.Summary);
                    }
                }
            }
        }
    }

    public static LatencyBins Of(string title, double[] baseline, double[] candidate, int bins, SampleSummary baseSummary, SampleSummary candSummary)
    {
        var sortedB = Sorted(baseline);
        var sortedC = Sorted(candidate);
        var lo = Math.Min(sortedB[0], sortedC[0]);
        var hi = Math.Max(Quantiles.Type7(sortedB, 0.99), Quantiles.Type7(sortedC, 0.99));
        if (!(hi > lo))
        {
            hi = lo + Math.Max(1e-3, Math.Abs(lo) * 0.01);
        }

        var overflow = sortedB.Count(x => x > hi) + sortedC.Count(x => x > hi);
        return new LatencyBins(title, lo, hi, Count(sortedB, lo, hi, bins), Count(sortedC, lo, hi, bins), overflow, baseSummary, candSummary);
    }

    private static double[] Sorted(double[] samples)
    {
        var copy = samples.Where(double.IsFinite).ToArray();
        Array.Sort(copy);
        return copy.Length > 0 ? copy : [0];
    }

    private static int[] Count(double[] samples, double lo, double hi, int bins)
    {
        var counts = new int[bins];
        foreach (var x in samples)
        {
            var i = (int)Math.Floor((x - lo) / (hi - lo) * bins);
            counts[Math.Clamp(i, 0, bins - 1)]++;
        }

        return counts;
    }
}
