using System.Globalization;

namespace PipelineGate.Measure.Statistics;

/// <summary>Outcome of <see cref="ABComparison.Compare"/>. Immutable. Ratios are candidate / baseline, so &gt; 1 means slower.</summary>
public sealed class ABResult
{
    internal ABResult(
        ABOptions options,
        int baselineCount,
        int candidateCount,
        double baselineMedian,
        double candidateMedian,
        double medianRatio,
        ConfidenceInterval medianRatioInterval,
        ConfidenceInterval medianRatioOneSigmaInterval,
        double p90Ratio,
        ConfidenceInterval p90RatioInterval,
        double pValueSlower,
        double pValueFaster,
        double hodgesLehmannShift,
        Verdict verdict,
        bool inNoiseBand)
    {
        Options = options;
        BaselineCount = baselineCount;
        CandidateCount = candidateCount;
        BaselineMedian = baselineMedian;
        CandidateMedian = candidateMedian;
        MedianRatio = medianRatio;
        MedianRatioInterval = medianRatioInterval;
        MedianRatioOneSigmaInterval = medianRatioOneSigmaInterval;
        P90Ratio = p90Ratio;
        P90RatioInterval = p90RatioInterval;
        PValueSlower = pValueSlower;
        PValueFaster = pValueFaster;
        HodgesLehmannShift = hodgesLehmannShift;
        Verdict = verdict;
        InNoiseBand = inNoiseBand;
    }

    /// <summary>The options the comparison ran with.</summary>
    public ABOptions Options { get; }

    /// <summary>Number of baseline samples.</summary>
    public int BaselineCount { get; }

    /// <summary>Number of candidate samples.</summary>
    public int CandidateCount { get; }

    /// <summary>Type-7 median of the baseline (ms).</summary>
    public double BaselineMedian { get; }

    /// <summary>Type-7 median of the candidate (ms).</summary>
    public double CandidateMedian { get; }

    /// <summary>Candidate median / baseline median: the estimate the verdict is based on.</summary>
    public double MedianRatio { get; }

    /// <summary>Bootstrap percentile interval of <see cref="MedianRatio"/> at <see cref="ABOptions.Confidence"/>.</summary>
    public ConfidenceInterval MedianRatioInterval { get; }

    /// <summary>
    /// Central 68.3% bootstrap percentile interval of <see cref="MedianRatio"/>, i.e. roughly the estimate
    /// ± one standard error. The verdict requires its far side to clear the threshold.
    /// </summary>
    public ConfidenceInterval MedianRatioOneSigmaInterval { get; }

    /// <summary>Candidate p90 / baseline p90; informational (tails are noisier on shared machines).</summary>
    public double P90Ratio { get; }

    /// <summary>Bootstrap percentile interval of <see cref="P90Ratio"/>.</summary>
    public ConfidenceInterval P90RatioInterval { get; }

    /// <summary>One-sided Mann–Whitney p-value for "candidate tends to be slower".</summary>
    public double PValueSlower { get; }

    /// <summary>One-sided Mann–Whitney p-value for "candidate tends to be faster".</summary>
    public double PValueFaster { get; }

    /// <summary>
    /// Hodges–Lehmann shift (ms): median of all pairwise differences candidate − baseline. A robust
    /// estimate of the typical absolute slowdown, consistent with the Mann–Whitney test; informational.
    /// </summary>
    public double HodgesLehmannShift { get; }

    /// <summary>The decision; see <see cref="ABComparison.Compare"/>.</summary>
    public Verdict Verdict { get; }

    /// <summary>
    /// True when <see cref="Verdict"/> is <see cref="Verdict.Same"/> but the data do show a hint of change:
    /// a significant Mann–Whitney test, or a median-ratio estimate beyond the threshold, without the
    /// rest of the evidence. Such a change is below the threshold or not established; report it, don't fail on it.
    /// </summary>
    public bool InNoiseBand { get; }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Verdict}{(InNoiseBand ? " (noise band)" : string.Empty)}: median ratio {MedianRatio:F4} {MedianRatioInterval}, p90 ratio {P90Ratio:F4} {P90RatioInterval}, p(slower)={PValueSlower:G3}, p(faster)={PValueFaster:G3}");
}
