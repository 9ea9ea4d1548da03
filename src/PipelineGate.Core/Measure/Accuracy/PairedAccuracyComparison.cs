namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Accuracy of model B against model A on the same samples. Accuracies are fractions (0..1); the
/// difference and its interval are in percentage points, B − A (positive: B is better).
/// </summary>
public sealed record PairedAccuracyComparison(
    int Count,
    double AccuracyA,
    double AccuracyB,
    double DifferencePoints,
    BootstrapInterval Interval,
    McNemarTest McNemar);
