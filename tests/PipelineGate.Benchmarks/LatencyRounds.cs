using System.Globalization;
using PipelineGate.Measure.Latency;
using PipelineGate.Measure.Statistics;
using PipelineGate.Runtime;

namespace PipelineGate.Benchmarks;

/// <summary>Repeated interleaved A/B latency comparisons of two prepared runs with the gate's engine, summarised as the median ratio with its spread.</summary>
internal sealed class LatencyRounds
{
    private readonly List<ABResult> _results = [];

    public void Add(PreparedRun baseline, PreparedRun candidate, LatencyOptions options) =>
        _results.Add(LatencyEngine.Compare(new PreparedRunTarget("baseline", baseline), new PreparedRunTarget("candidate", candidate), options, ABOptions.Default).Result);

    /// <summary><paramref name="rounds"/> comparisons of <paramref name="candidate"/> against <paramref name="baseline"/>, one after the other.</summary>
    public static LatencyRounds Run(PreparedRun baseline, PreparedRun candidate, LatencyOptions options, int rounds)
    {
        var result = new LatencyRounds();
        for (var r = 0; r < rounds; r++)
        {
            result.Add(baseline, candidate, options);
        }

        return result;
    }

    /// <summary>"median of N: r [min … max], middle run 95% CI lo … hi, a → b ms | verdicts …".</summary>
    public string Summary()
    {
        var ratios = _results.Select(static r => r.MedianRatio).Order().ToArray();
        var middle = _results.OrderBy(static r => r.MedianRatio).ElementAt(_results.Count / 2);
        return string.Create(CultureInfo.InvariantCulture,
            $"latency ratio median of {_results.Count}: {ratios[_results.Count / 2]:0.000} [{ratios[0]:0.000} … {ratios[^1]:0.000}], middle run 95% CI {middle.MedianRatioInterval.Lower:0.000} … {middle.MedianRatioInterval.Upper:0.000}, " +
            $"{middle.BaselineMedian:0.###} → {middle.CandidateMedian:0.###} ms | verdicts {string.Join(" ", _results.Select(static r => r.Verdict))}");
    }
}
