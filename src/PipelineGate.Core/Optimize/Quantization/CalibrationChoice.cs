namespace PipelineGate.Optimize.Quantization;

/// <summary>
/// <c>method: auto</c>: for one tensor, the calibration method (minmax, percentile, entropy) whose range
/// causes the smallest estimated mean squared quantization error on that tensor's own calibration
/// histogram. The estimate counts, for every histogram bin of |x| with centre c and count n, the clipping
/// error n·(c − t)² when c lies beyond the range's threshold t = max(−min, max), else the rounding error
/// n·Δ²/12 of a uniform quantizer with step Δ = (max − min) / (levels − 1). It is exact for one-sided
/// tensors (after ReLU, |x| = x) and an approximation for signed ones, whose two sides share the histogram.
/// It costs one pass over 2048 bins per method, no model run.
/// </summary>
internal static class CalibrationChoice
{
    public static readonly CalibrationMethod[] Methods = [CalibrationMethod.MinMax, CalibrationMethod.Percentile, CalibrationMethod.Entropy];

    public static ((float Min, float Max) Range, CalibrationMethod Method) Choose(TensorHistogram histogram, int levels = 256)
    {
        var best = ((histogram.Min, histogram.Max), CalibrationMethod.MinMax);
        var bestError = double.PositiveInfinity;
        foreach (var method in Methods)
        {
            var range = Range(histogram, method);
            var error = EstimatedError(histogram, range.Min, range.Max, levels);
            if (error < bestError)
            {
                (best, bestError) = ((range, method), error);
            }
        }

        return best;
    }

    /// <summary>The range a method gives from the histogram; clipping thresholds never widen the observed range.</summary>
    public static (float Min, float Max) Range(TensorHistogram histogram, CalibrationMethod method)
    {
        if (method == CalibrationMethod.MinMax)
        {
            return (histogram.Min, histogram.Max);
        }

        var threshold = (float)(method == CalibrationMethod.Percentile ? HistogramThresholds.Percentile(histogram) : HistogramThresholds.Entropy(histogram));
        return (Math.Max(histogram.Min, -threshold), Math.Min(histogram.Max, threshold));
    }

    /// <summary>Estimated mean squared error of quantizing the histogram's values into [min, max] with the given level count (see the class summary).</summary>
    public static double EstimatedError(TensorHistogram histogram, float min, float max, int levels)
    {
        if (histogram.Total == 0)
        {
            return 0;
        }

        var lo = Math.Min(min, 0.0);
        var hi = Math.Max(max, 0.0);
        var step = (hi - lo) / (levels - 1);
        var rounding = step * step / 12;
        var threshold = Math.Max(-lo, hi);
        var width = histogram.BinWidth;
        var counts = histogram.Counts;
        double error = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            var centre = (i + 0.5) * width;
            var clipped = centre - threshold;
            error += counts[i] * (clipped > 0 ? clipped * clipped : rounding);
        }

        return error / histogram.Total;
    }
}
