namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// The interval of an accuracy measured on a finite evaluation set: how far the share of correct samples
/// could move on another draw of the same size. Percentile bootstrap over samples, with the generator and
/// seed of <see cref="PairedComparison"/>, so the same results always give the same interval.
/// </summary>
public static class ProportionInterval
{
    /// <summary>The interval of the share of <c>true</c> values in <paramref name="hits"/> (a fraction 0..1).</summary>
    public static BootstrapInterval Of(
        bool[] hits,
        int resamples = PairedComparison.DefaultResamples,
        double confidence = PairedComparison.DefaultConfidence,
        int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentOutOfRangeException.ThrowIfZero(hits.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence level must be between 0 and 1 (exclusive).");
        }

        return PairedComparison.MeanInterval(hits.Select(static h => h ? 1.0 : 0.0).ToArray(), resamples, confidence, seed);
    }
}
