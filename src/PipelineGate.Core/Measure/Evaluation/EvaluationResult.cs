namespace PipelineGate.Measure.Evaluation;

/// <summary>
/// A model's quality on its evaluation data: the configured metric, and what paired comparisons need
/// (per-sample correctness for McNemar, per-sample errors for regression, and the raw scores for
/// fidelity against another variant).
/// </summary>
public sealed record EvaluationResult(
    string Metric,
    double Value,
    int Samples,
    bool[]? Correct,
    double[]? SampleErrors,
    double[] Scores,
    int ScoresPerSample)
{
    /// <summary>Every classification metric, when the metric is top1/top5/f1 and there are labels.</summary>
    public Accuracy.ClassificationMetrics? Classification { get; init; }

    /// <summary>Every regression metric, when the metric is mae/rmse and there are labels.</summary>
    public Accuracy.RegressionMetrics? Regression { get; init; }
}
