namespace PipelineGate.Gate.Config.Parsing;

/// <summary>Which units each kind of limit takes for a metric; the judge relies on these (see BudgetJudge).</summary>
internal static class BudgetRules
{
    public static UnitDimension[] Allowed(MetricInfo metric, string limitKey) => limitKey switch
    {
        "max-drop" => [UnitDimension.PercentagePoints],

        // Noisy metrics are compared through their statistics, as ratios of baseline and candidate.
        "max-regression" when metric.Timing || metric.Name == "peak-memory" => [UnitDimension.Relative],

        // Exact metrics may also allow an absolute increase ("0": must not grow at all).
        "max-regression" when metric.Deterministic => [UnitDimension.Relative, metric.Dimension],
        "max-regression" => [UnitDimension.Relative, UnitDimension.PercentagePoints],
        _ => [metric.Dimension],
    };

    /// <summary>What "accuracy" means for a model: the catalog entry of its configured metric (mae and rmse are lower-is-better).</summary>
    public static MetricInfo Effective(MetricInfo metric, ModelConfig model) =>
        metric.Name == "accuracy" && MetricCatalog.Find(model.Metric) is { } resolved ? metric with { Direction = resolved.Direction } : metric;

    /// <summary>The metric computed on the model's labelled sentence pairs rather than on its evaluation data.</summary>
    public const string Spearman = "similarity.spearman";

    /// <summary>Quality metrics are fractions or errors computed on the model's evaluation data.</summary>
    public static bool NeedsData(MetricInfo metric) => MetricCatalog.IsQuality(metric);
}
