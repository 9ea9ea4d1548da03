namespace PipelineGate.Measure.Statistics;

/// <summary>Decision of an A/B latency comparison; see <see cref="ABComparison.Compare"/> for the rule.</summary>
public enum Verdict
{
    /// <summary>Candidate is faster than baseline by more than the threshold, with confidence.</summary>
    Faster,

    /// <summary>No change beyond the threshold was established.</summary>
    Same,

    /// <summary>Candidate is slower than baseline by more than the threshold, with confidence.</summary>
    Slower,
}
