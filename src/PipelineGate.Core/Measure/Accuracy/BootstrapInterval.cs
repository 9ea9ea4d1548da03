namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// A percentile bootstrap confidence interval: the (1 − level)/2 and (1 + level)/2 quantiles (linear
/// interpolation, numpy's default) of the statistic over <see cref="Resamples"/> resamples drawn with
/// <see cref="Seed"/>, so the same inputs and seed always give the same interval.
/// </summary>
public sealed record BootstrapInterval(double Lower, double Upper, double ConfidenceLevel, int Resamples, int Seed)
{
    /// <summary>True when <paramref name="value"/> lies inside the interval (ends included).</summary>
    public bool Contains(double value) => value >= Lower && value <= Upper;
}
