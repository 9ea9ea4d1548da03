using PipelineGate.Gate.Results;
using PipelineGate.Measure.Bench;
using PipelineGate.Measure.Size;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Gate.Judging;

/// <summary>Reads a metric's value (and the interval around it, where there is one) out of the results.</summary>
internal static class MetricValues
{
    /// <summary>Timing value of a target's measurement; CI null where no interval is defined (or the quantile is unsupported).</summary>
    public static (double Value, ConfidenceInterval? Interval, QuantileEstimate? Quantile)? Timing(string metric, TargetResult t, bool baseline = false)
    {
        var latency = baseline ? t.BaselineLatency : t.Latency;
        switch (metric)
        {
            case "latency.p50" or "latency.p90" or "latency.p95" or "latency.p99":
                if (latency is null)
                {
                    return null;
                }

                var q = metric switch
                {
                    "latency.p50" => latency.Summary.Median,
                    "latency.p90" => latency.Summary.P90,
                    "latency.p95" => latency.Summary.P95,
                    _ => latency.Summary.P99,
                };
                return (q.Value, q.Interval, q);
            case "latency.mean":
                if (latency is null)
                {
                    return null;
                }

                var s = latency.Summary;
                var half = 1.96 * s.StandardDeviation / Math.Sqrt(Math.Max(1, s.Count));
                return (s.Mean, new ConfidenceInterval(s.Mean - half, s.Mean + half, 0.95), null);
            case "session-create":
                return (baseline ? t.BaselineColdStart : t.ColdStart) is { } c ? (c.SessionCreateMs, null, null) : null;
            case "first-inference":
                return (baseline ? t.BaselineColdStart : t.ColdStart) is { } f ? (f.FirstInferenceMs, null, null) : null;
            case "throughput":
                return (baseline ? t.BaselineThroughput : t.Throughput) is { } tp ? (tp.InferencesPerSecond, null, null) : null;
            case "peak-memory":
                return (baseline ? t.BaselineMemory : t.Memory) is { } m ? (m.AttributableBytes, null, null) : null;
            default:
                return null;
        }
    }

    /// <summary>Deterministic value from a size report.</summary>
    public static double? Deterministic(string metric, SizeReport? size) => size is null ? null : metric switch
    {
        "file-size" => size.TotalBytes,
        "compressed-size" => size.CompressedBytes,
        "parameters" => size.ParameterCount,
        "nonzero-parameters" => size.NonzeroParameterCount,
        "macs" => size.Macs,
        _ => null,
    };

    /// <summary>Fidelity value of a variant against the original model.</summary>
    public static double? Fidelity(string metric, FidelityResult? f) => f is null ? null : metric switch
    {
        "fidelity.top1-agreement" => f.Top1Agreement,
        "fidelity.kl" => f.MeanKlDivergence,
        "fidelity.max-abs" => f.MaxAbsDifference,
        "fidelity.cosine" => f.MeanCosine,
        "fidelity.cosine-min" => f.MinCosine,
        "fidelity.nn-agreement" => f.NearestNeighbourAgreement,
        _ => null,
    };

    /// <summary>Quality value: "accuracy" is the model's own metric; other names must match what was evaluated.</summary>
    public static double? Quality(string metric, AccuracyResult? accuracy, string modelMetric)
    {
        if (accuracy is null)
        {
            return null;
        }

        var wanted = metric == "accuracy" ? modelMetric : metric;
        return string.Equals(accuracy.Metric, wanted, StringComparison.Ordinal) ? accuracy.Value : null;
    }
}
