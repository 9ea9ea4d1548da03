namespace PipelineGate.Measure.Accuracy;

/// <summary>How a McNemar p-value was computed.</summary>
public enum McNemarMethod
{
    /// <summary>Exact two-sided binomial test on the discordant pairs (used when there are fewer than 25).</summary>
    ExactBinomial = 0,

    /// <summary>Chi-square with one degree of freedom and Edwards' continuity correction.</summary>
    ChiSquareContinuityCorrected,
}
