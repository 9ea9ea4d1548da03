namespace PipelineGate.Measure.Statistics;

/// <summary>How <see cref="ABComparison.Compare"/> treated the samples.</summary>
public enum ComparisonMethod
{
    /// <summary>Every sample independent: ratio of group medians, per-sample bootstrap, Mann–Whitney.</summary>
    Independent,

    /// <summary>Adjacent blocks paired: median of per-pair ratios, bootstrap over pairs, sign test.</summary>
    BlockPaired,
}
