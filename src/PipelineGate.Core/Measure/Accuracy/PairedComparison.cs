using PipelineGate.Measure.Statistics;

using static System.FormattableString;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Compares two models evaluated on the same samples. Pairing matters: most samples are easy or hard
/// for both models, so resampling samples (not each model's results separately) gives a much tighter,
/// honest interval for the difference. Intervals are percentile bootstrap intervals of the mean
/// paired difference, drawn with a fixed seed so that reports are reproducible.
/// </summary>
public static class PairedComparison
{
    public const int DefaultResamples = 2000;
    public const double DefaultConfidence = 0.95;

    /// <summary>
    /// Accuracy of B minus accuracy of A in percentage points, with a bootstrap interval and McNemar's
    /// test (see <see cref="McNemarTest"/>). Element i of both arrays must be the same sample.
    /// </summary>
    public static PairedAccuracyComparison Accuracy(
        bool[] correctA,
        bool[] correctB,
        int resamples = DefaultResamples,
        double confidence = DefaultConfidence,
        int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(correctA);
        ArgumentNullException.ThrowIfNull(correctB);
        CheckPaired(correctA.Length, correctB.Length, resamples, confidence);

        var n = correctA.Length;
        var differences = new double[n];
        int rightA = 0, rightB = 0, onlyA = 0, onlyB = 0;
        for (var i = 0; i < n; i++)
        {
            rightA += correctA[i] ? 1 : 0;
            rightB += correctB[i] ? 1 : 0;
            onlyA += correctA[i] && !correctB[i] ? 1 : 0;
            onlyB += !correctA[i] && correctB[i] ? 1 : 0;
            differences[i] = (correctB[i] ? 100.0 : 0.0) - (correctA[i] ? 100.0 : 0.0);
        }

        return new PairedAccuracyComparison(
            n,
            (double)rightA / n,
            (double)rightB / n,
            100.0 * (rightB - rightA) / n,
            MeanInterval(differences, resamples, confidence, seed),
            McNemarTest.Compute(onlyA, onlyB));
    }

    /// <summary>
    /// Mean of <paramref name="b"/> minus mean of <paramref name="a"/> with a bootstrap interval, for
    /// per-sample quantities such as absolute errors. NaN anywhere makes the result NaN.
    /// </summary>
    public static PairedMeanComparison Mean(
        double[] a,
        double[] b,
        int resamples = DefaultResamples,
        double confidence = DefaultConfidence,
        int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        CheckPaired(a.Length, b.Length, resamples, confidence);

        var differences = new double[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            differences[i] = b[i] - a[i];
        }

        return new PairedMeanComparison(
            a.Length,
            a.Average(),
            b.Average(),
            differences.Average(),
            MeanInterval(differences, resamples, confidence, seed));
    }

    private static void CheckPaired(int lengthA, int lengthB, int resamples, double confidence)
    {
        if (lengthA != lengthB)
        {
            throw new ArgumentException(Invariant($"Paired comparisons need the same samples for both models; got {lengthA} and {lengthB} results."), nameof(lengthB));
        }

        if (lengthA == 0)
        {
            throw new ArgumentException("Paired comparisons need at least one sample.", nameof(lengthA));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence level must be between 0 and 1 (exclusive).");
        }
    }

    internal static BootstrapInterval MeanInterval(double[] differences, int resamples, double confidence, int seed)
    {
        if (differences.Any(double.IsNaN))
        {
            return new BootstrapInterval(double.NaN, double.NaN, confidence, resamples, seed);
        }

        var n = differences.Length;
        var rng = new BootstrapRandom(unchecked((ulong)seed));
        var means = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                sum += differences[rng.NextInt(n)];
            }

            means[r] = sum / n;
        }

        Array.Sort(means);
        var tail = (1 - confidence) / 2;
        return new BootstrapInterval(Quantiles.Type7(means, tail), Quantiles.Type7(means, 1 - tail), confidence, resamples, seed);
    }
}
