using System.Globalization;

namespace PipelineGate.Measure.Statistics;

/// <summary>Outcome of <see cref="ABComparison.Compare"/>. Immutable. Ratios are candidate / baseline, so &gt; 1 means slower.</summary>
public sealed record ABResult
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

    /// <summary>
    /// The estimate the verdict is based on: candidate median / baseline median for independent samples;
    /// for block-paired samples, the median over block pairs of candidate block mean / baseline block mean
    /// (see <see cref="ABComparison.Compare"/>).
    /// </summary>
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

    /// <summary>One-sided p-value for "candidate tends to be slower": Mann–Whitney, or the exact sign test over block pairs.</summary>
    public double PValueSlower { get; }

    /// <summary>One-sided p-value for "candidate tends to be faster": Mann–Whitney, or the exact sign test over block pairs.</summary>
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

    /// <summary>How the ratio, its intervals and the p-values were computed.</summary>
    public ComparisonMethod Method { get; init; }

    /// <summary>Block pairs used by <see cref="ComparisonMethod.BlockPaired"/>; 0 for independent samples.</summary>
    public int Pairs { get; init; }

    /// <summary>
    /// Candidate median / baseline median over all samples. Equals <see cref="MedianRatio"/> for independent
    /// samples; for block-paired samples it is reported alongside.
    /// </summary>
    public double RatioOfMedians { get; init; }

    /// <summary>
    /// Times the interleaved measurement was extended because the first result was undecided
    /// (see <see cref="Undecided"/>); set by the adaptive measurement, 0 otherwise.
    /// </summary>
    public int Extensions { get; init; }

    /// <summary>
    /// True when the verdict is <see cref="Verdict.Same"/> but one standard error either way reaches past
    /// a limit (1 + threshold, or its inverse): more samples could still change the verdict.
    /// </summary>
    public bool Undecided =>
        Verdict == Verdict.Same &&
        (MedianRatioOneSigmaInterval.Upper > 1 + Options.Threshold || MedianRatioOneSigmaInterval.Lower < 1 / (1 + Options.Threshold));

    /// <summary>The test behind the p-values, in words: "Mann-Whitney" or "sign test over N block pairs".</summary>
    public string TestName => Method == ComparisonMethod.BlockPaired
        ? string.Create(CultureInfo.InvariantCulture, $"sign test over {Pairs} block pairs")
        : "Mann-Whitney";

    /// <summary>"measured 3× as long because the first result was undecided" when extended, else empty: for messages.</summary>
    public string ExtensionNote() =>
        Extensions > 0 ? string.Create(CultureInfo.InvariantCulture, $"measured {1 + Extensions}× as long because the first result was undecided") : string.Empty;

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Verdict}{(InNoiseBand ? " (noise band)" : string.Empty)}: median ratio {MedianRatio:F4} {MedianRatioInterval}, p90 ratio {P90Ratio:F4} {P90RatioInterval}, p(slower)={PValueSlower:G3}, p(faster)={PValueFaster:G3}");
}
