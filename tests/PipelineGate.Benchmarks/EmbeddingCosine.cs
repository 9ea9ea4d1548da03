using PipelineGate.Measure.Accuracy;

namespace PipelineGate.Benchmarks;

/// <summary>Cosine of two sentence embeddings, with the metrics' own zero-vector rule (<see cref="RowMath.Cosine"/>).</summary>
internal static class EmbeddingCosine
{
    public static double Of(double[] a, double[] b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }

        return RowMath.Cosine(dot, aa, bb);
    }
}
