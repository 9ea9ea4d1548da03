namespace PipelineGate.Measure.Statistics;

/// <summary>Argument checks shared by the statistics entry points.</summary>
internal static class SampleGuard
{
    public static void RequireFinite(ReadOnlySpan<double> samples, int minimumCount, string paramName)
    {
        if (samples.Length < minimumCount)
        {
            throw new ArgumentException($"At least {minimumCount} sample(s) required, got {samples.Length}.", paramName);
        }

        foreach (var x in samples)
        {
            // NaN would silently break sorting and every comparison after it.
            if (!double.IsFinite(x))
            {
                throw new ArgumentException("Samples must be finite numbers.", paramName);
            }
        }
    }

    public static void RequirePositiveFinite(ReadOnlySpan<double> samples, int minimumCount, string paramName)
    {
        RequireFinite(samples, minimumCount, paramName);
        foreach (var x in samples)
        {
            // Ratios of medians are meaningless for zero or negative latencies.
            if (x <= 0)
            {
                throw new ArgumentException("Latency samples must be positive.", paramName);
            }
        }
    }

    public static void RequireSorted(ReadOnlySpan<double> samples, string paramName)
    {
        RequireFinite(samples, 1, paramName);
        for (var i = 1; i < samples.Length; i++)
        {
            if (samples[i] < samples[i - 1])
            {
                throw new ArgumentException("Samples must be sorted ascending.", paramName);
            }
        }
    }

    public static void RequireConfidence(double confidence, string paramName)
    {
        if (!(confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(paramName, confidence, "Confidence must be strictly between 0 and 1.");
        }
    }
}
