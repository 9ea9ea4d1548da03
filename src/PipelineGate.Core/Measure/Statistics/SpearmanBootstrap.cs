using PipelineGate.Measure.Accuracy;

namespace PipelineGate.Measure.Statistics;

/// <summary>
/// Percentile bootstrap intervals for Spearman's ρ over labelled pairs. A resample draws pair indices with
/// replacement; a paired comparison draws the same indices for both models, so that pairs that are hard for
/// both cancel, as the paired accuracy interval does for samples. The generator is seeded
/// (<see cref="BootstrapRandom"/>), so the same pairs and seed always give the same interval. A resample whose
/// scores (or cosines) are all equal has no ρ and is drawn again from the same stream.
/// </summary>
public static class SpearmanBootstrap
{
    public const int DefaultResamples = 1000;

    /// <summary>The interval of ρ(<paramref name="cosines"/>, <paramref name="scores"/>) itself.</summary>
    public static BootstrapInterval Interval(IReadOnlyList<double> cosines, IReadOnlyList<double> scores, int resamples = DefaultResamples, double confidence = PairedComparison.DefaultConfidence, int seed = 0)
    {
        Check(cosines.Count, cosines.Count, scores.Count, resamples);
        var values = Draw(cosines.Count, resamples, seed, index => SpearmanCorrelation.Of(Pick(cosines, index), Pick(scores, index)));
        return Percentiles(values, resamples, confidence, seed);
    }

    /// <summary>
    /// ρ of <paramref name="cosinesB"/> minus ρ of <paramref name="cosinesA"/>, both against <paramref name="scores"/>
    /// (element i of all three is pair i), with its paired bootstrap interval.
    /// </summary>
    public static SpearmanComparison Paired(IReadOnlyList<double> cosinesA, IReadOnlyList<double> cosinesB, IReadOnlyList<double> scores, int resamples = DefaultResamples, double confidence = PairedComparison.DefaultConfidence, int seed = 0)
    {
        Check(cosinesA.Count, cosinesB.Count, scores.Count, resamples);
        var rhoA = SpearmanCorrelation.Of(cosinesA, scores);
        var rhoB = SpearmanCorrelation.Of(cosinesB, scores);
        var values = Draw(cosinesA.Count, resamples, seed, index =>
        {
            var s = Pick(scores, index);
            return SpearmanCorrelation.Of(Pick(cosinesB, index), s) - SpearmanCorrelation.Of(Pick(cosinesA, index), s);
        });
        return new SpearmanComparison(cosinesA.Count, rhoA, rhoB, rhoB - rhoA, Percentiles(values, resamples, confidence, seed));
    }

    private static double[] Draw(int n, int resamples, int seed, Func<int[], double> statistic)
    {
        var rng = new BootstrapRandom(unchecked((ulong)seed));
        var values = new double[resamples];
        var index = new int[n];
        for (var r = 0; r < resamples; r++)
        {
            // A resample with no ranking (all scores equal) is drawn again; give up after many tries (degenerate data).
            var value = double.NaN;
            for (var attempt = 0; attempt < 100 && double.IsNaN(value); attempt++)
            {
                for (var i = 0; i < n; i++)
                {
                    index[i] = rng.NextInt(n);
                }

                value = statistic(index);
            }

            values[r] = value;
        }

        return values;
    }

    private static double[] Pick(IReadOnlyList<double> values, int[] index)
    {
        var picked = new double[index.Length];
        for (var i = 0; i < index.Length; i++)
        {
            picked[i] = values[index[i]];
        }

        return picked;
    }

    private static BootstrapInterval Percentiles(double[] values, int resamples, double confidence, int seed)
    {
        if (values.Any(double.IsNaN))
        {
            return new BootstrapInterval(double.NaN, double.NaN, confidence, resamples, seed);
        }

        Array.Sort(values);
        var tail = (1 - confidence) / 2;
        return new BootstrapInterval(Quantiles.Type7(values, tail), Quantiles.Type7(values, 1 - tail), confidence, resamples, seed);
    }

    private static void Check(int a, int b, int scores, int resamples)
    {
        if (a != b || a != scores || a < 2)
        {
            throw new ArgumentException($"A paired Spearman bootstrap needs the same pairs (at least two) for every series; got {a}, {b} and {scores}.", nameof(scores));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
    }
}

/// <summary>Spearman's ρ of model B minus model A on the same labelled pairs (positive: B ranks the pairs more like the scores).</summary>
public sealed record SpearmanComparison(int Pairs, double RhoA, double RhoB, double Difference, BootstrapInterval Interval);
