namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Mean of a per-sample quantity (typically an error) for model B against model A on the same samples;
/// the difference is B − A (for errors, positive means B is worse).
/// </summary>
public sealed record PairedMeanComparison(
    int Count,
    double MeanA,
    double MeanB,
    double Difference,
    BootstrapInterval Interval);
