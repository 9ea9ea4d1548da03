namespace PipelineGate.Gate.Judging;

/// <summary>
/// A value and how well it is known: its confidence interval, a band standing in for an interval it does
/// not have, or the value alone when it is exact. <see cref="BudgetRule"/> judges it against a limit.
/// </summary>
/// <param name="Value">The point estimate.</param>
/// <param name="Lower">Lower end of the interval (the value itself when exact).</param>
/// <param name="Upper">Upper end of the interval (the value itself when exact).</param>
internal readonly record struct Estimate(double Value, double Lower, double Upper)
{
    /// <summary>An exact value (a size, a count, a metric recomputed identically on the same data).</summary>
    public static Estimate Exact(double value) => new(value, value, value);

    /// <summary>
    /// A positive value measured without an interval (cold start, throughput, memory): the documented band,
    /// ×/÷ (1 + <paramref name="band"/>) around it (measure.threshold), stands in for one.
    /// </summary>
    public static Estimate WithBand(double value, double band) => new(value, value / (1 + band), value * (1 + band));

    /// <summary>True when the interval is a single point.</summary>
    public bool IsExact => Lower == Value && Upper == Value;
}
