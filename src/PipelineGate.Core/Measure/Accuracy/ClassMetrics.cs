namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Precision, recall and F1 of one class. Precision is 0 for a class that is never predicted, recall
/// is 0 for a class that never occurs in the labels, and F1 is 0 when both are 0 (scikit-learn's
/// <c>zero_division=0</c>).
/// </summary>
public sealed record ClassMetrics(
    int Class,
    long Support,
    long Predicted,
    long TruePositives,
    double Precision,
    double Recall,
    double F1);
