namespace PipelineGate.Gate.Config;

/// <summary>Every metric a budget may name. The names are part of the config contract (docs/config.md).</summary>
public static class MetricCatalog
{
    private static readonly MetricInfo[] All =
    [
        new("latency.p50", UnitDimension.Time, MetricDirection.LowerIsBetter, false, true, true, "median single-inference latency"),
        new("latency.p90", UnitDimension.Time, MetricDirection.LowerIsBetter, false, true, true, "90th percentile latency"),
        new("latency.p95", UnitDimension.Time, MetricDirection.LowerIsBetter, false, true, true, "95th percentile latency"),
        new("latency.p99", UnitDimension.Time, MetricDirection.LowerIsBetter, false, true, true, "99th percentile latency (needs ≥ 368 samples for a 95% interval)"),
        new("latency.mean", UnitDimension.Time, MetricDirection.LowerIsBetter, false, true, true, "mean latency"),
        new("session-create", UnitDimension.Time, MetricDirection.LowerIsBetter, false, true, true, "time to create an inference session (model load)"),
        new("first-inference", UnitDimension.Time, MetricDirection.LowerIsBetter, false, true, true, "time of the first inference on a fresh session"),
        new("throughput", UnitDimension.Rate, MetricDirection.HigherIsBetter, false, true, true, "inferences per second with concurrent requests"),
        new("peak-memory", UnitDimension.Bytes, MetricDirection.LowerIsBetter, false, false, true, "peak resident memory attributable to the model"),
        new("file-size", UnitDimension.Bytes, MetricDirection.LowerIsBetter, true, false, false, "model file plus external data, bytes"),
        new("compressed-size", UnitDimension.Bytes, MetricDirection.LowerIsBetter, true, false, false, "gzip-compressed model and data, bytes"),
        new("parameters", UnitDimension.Count, MetricDirection.LowerIsBetter, true, false, false, "number of stored parameters"),
        new("nonzero-parameters", UnitDimension.Count, MetricDirection.LowerIsBetter, true, false, false, "parameters that are not zero"),
        new("macs", UnitDimension.Count, MetricDirection.LowerIsBetter, true, false, false, "multiply-accumulates per inference (static shapes)"),
        new("accuracy", UnitDimension.Ratio, MetricDirection.HigherIsBetter, false, false, false, "the model's configured metric (top1 unless set) on its evaluation data"),
        new("top1", UnitDimension.Ratio, MetricDirection.HigherIsBetter, false, false, false, "top-1 accuracy"),
        new("top5", UnitDimension.Ratio, MetricDirection.HigherIsBetter, false, false, false, "top-5 accuracy"),
        new("f1", UnitDimension.Ratio, MetricDirection.HigherIsBetter, false, false, false, "macro F1"),
        new("mae", UnitDimension.Ratio, MetricDirection.LowerIsBetter, false, false, false, "mean absolute error"),
        new("rmse", UnitDimension.Ratio, MetricDirection.LowerIsBetter, false, false, false, "root mean squared error"),
        new("similarity.spearman", UnitDimension.Ratio, MetricDirection.HigherIsBetter, false, false, false, "Spearman's rank correlation of the cosines of labelled sentence pairs (data: { pairs }) with their scores"),
        new("fidelity.top1-agreement", UnitDimension.Ratio, MetricDirection.HigherIsBetter, false, false, false, "share of samples whose top-1 class matches the original model"),
        new("fidelity.kl", UnitDimension.Ratio, MetricDirection.LowerIsBetter, false, false, false, "mean KL divergence from the original model's output distribution"),
        new("fidelity.max-abs", UnitDimension.Ratio, MetricDirection.LowerIsBetter, false, false, false, "largest absolute output difference from the original model"),
        new("fidelity.cosine", UnitDimension.Ratio, MetricDirection.HigherIsBetter, false, false, false, "mean cosine similarity with the original model's output (text: of the mean-pooled sentence embeddings)"),
        new("fidelity.cosine-min", UnitDimension.Ratio, MetricDirection.HigherIsBetter, false, false, false, "smallest per-sample cosine similarity with the original model's output"),
        new("fidelity.nn-agreement", UnitDimension.Ratio, MetricDirection.HigherIsBetter, false, false, false, "share of sentences whose nearest neighbour among the evaluation sentences matches the original model's"),
    ];

    private static readonly Dictionary<string, MetricInfo> ByName = All.ToDictionary(static m => m.Name, StringComparer.Ordinal);

    public static IReadOnlyList<MetricInfo> Metrics => All;

    public static MetricInfo? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Accuracy metrics whose budgets compare a variant with the original model ("accuracy" resolves to the model's metric).</summary>
    public static bool IsQuality(MetricInfo m) => m.Dimension == UnitDimension.Ratio;
}
