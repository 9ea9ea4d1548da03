using PipelineGate.Measure.Accuracy;

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
    public ClassificationMetrics? Classification { get; init; }

    /// <summary>True when <see cref="Scores"/> are sentence embeddings (text data), so nearest-neighbour agreement applies.</summary>
    public bool Embeddings { get; init; }

    /// <summary>Text lines cut to the maximum length (text data only).</summary>
    public int TruncatedRows { get; init; }

    /// <summary>Every regression metric, when the metric is mae/rmse and there are labels.</summary>
    public RegressionMetrics? Regression { get; init; }

    /// <summary>
    /// How closely these outputs reproduce <paramref name="reference"/>'s, element by element; null when
    /// the two cannot be lined up (a different output size per sample, a different number of samples, or
    /// no outputs), because comparing misaligned values would report noise as a difference.
    /// </summary>
    public FidelityMetrics? FidelityAgainst(EvaluationResult reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (ScoresPerSample <= 0 || reference.ScoresPerSample != ScoresPerSample || reference.Scores.Length != Scores.Length)
        {
            return null;
        }

        var metrics = FidelityMetrics.Compute(Scores, reference.Scores, ScoresPerSample);
        return Embeddings && reference.Embeddings
            ? metrics.WithNearestNeighbourAgreement(Text.SentenceEmbeddings.NearestNeighbourAgreement(Scores, reference.Scores, ScoresPerSample))
            : metrics;
    }

    /// <summary>
    /// This model's top-1 accuracy minus <paramref name="reference"/>'s on the same samples, with its
    /// interval and McNemar's test; null without per-sample correctness for both (no labels, regression)
    /// or when they were scored on different numbers of samples.
    /// </summary>
    public PairedAccuracyComparison? PairedAccuracyAgainst(EvaluationResult reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Correct is { } a && Correct is { } b && a.Length == b.Length && a.Length > 0
            ? PairedComparison.Accuracy(a, b)
            : null;
    }
}
