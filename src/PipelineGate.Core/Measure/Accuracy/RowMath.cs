namespace PipelineGate.Measure.Accuracy;

/// <summary>Per-row helpers shared by the metrics.</summary>
internal static class RowMath
{
    /// <summary>
    /// Index of the largest value, the first one on ties (numpy's argmax), skipping NaN; -1 when every
    /// value is NaN. Skipping NaN keeps one NaN logit from "winning" the way it does in numpy.
    /// </summary>
    public static int ArgMax(ReadOnlySpan<double> row)
    {
        var best = -1;
        var max = double.NegativeInfinity;
        for (var i = 0; i < row.Length; i++)
        {
            var v = row[i];
            if (!double.IsNaN(v) && (best < 0 || v > max))
            {
                best = i;
                max = v;
            }
        }

        return best;
    }

    /// <summary>log(softmax(row)), computed with the maximum subtracted so large logits do not overflow.</summary>
    public static void LogSoftmax(ReadOnlySpan<double> row, Span<double> result)
    {
        var max = double.NegativeInfinity;
        foreach (var v in row)
        {
            max = Math.Max(max, v);
        }

        var sum = 0.0;
        foreach (var v in row)
        {
            sum += Math.Exp(v - max);
        }

        var log = max + Math.Log(sum);
        for (var i = 0; i < row.Length; i++)
        {
            result[i] = row[i] - log;
        }
    }

    /// <summary>
    /// True when the row is a probability distribution: finite values in [0, 1] summing to 1 within
    /// 1e-3 (float32 softmax over thousands of classes drifts by about 1e-6; 1e-3 still rejects logits).
    /// </summary>
    public static bool IsProbabilityRow(ReadOnlySpan<double> row)
    {
        var sum = 0.0;
        foreach (var v in row)
        {
            if (!double.IsFinite(v) || v < -1e-6 || v > 1 + 1e-6)
            {
                return false;
            }

            sum += v;
        }

        return Math.Abs(sum - 1) <= 1e-3;
    }

    /// <summary>
    /// Cosine of the angle between two vectors. Two zero vectors count as identical (1) and one zero
    /// vector against a non-zero one as unrelated (0), so an all-zero output is not silently perfect.
    /// </summary>
    public static double Cosine(double dot, double normA2, double normB2)
    {
        if (normA2 == 0 && normB2 == 0)
        {
            return 1;
        }

        if (normA2 == 0 || normB2 == 0)
        {
            return 0;
        }

        return dot / (Math.Sqrt(normA2) * Math.Sqrt(normB2));
    }
}
