using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Tensors;

namespace PipelineGate.Measure.Text;

/// <summary>
/// Sentence embeddings from an encoder's output: a [batch, sequence, hidden] output (last_hidden_state) is
/// averaged over the tokens the attention mask marks (padding excluded, as sentence-transformers pools); a
/// [batch, hidden] output (a pooled output) is taken as it is. Cosine is scale-free, so nothing is normalised.
/// </summary>
public static class SentenceEmbeddings
{
    /// <summary>Row-major embeddings [batch, hidden] of one batch.</summary>
    public static double[] Pool(TensorData output, TensorData? attentionMask, string outputName)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Rank == 2)
        {
            return output.ToDoubleArray();
        }

        if (output.Rank != 3)
        {
            throw new PipelineGateException(PgCode.DataShapeMismatch,
                string.Create(CultureInfo.InvariantCulture, $"Output '{outputName}' has shape {Shapes.Text(output.Shape)}; sentence embeddings come from a [batch, sequence, hidden] or a [batch, hidden] output."),
                hint: "Name the encoder's hidden-state or pooled output with 'output' in the data settings.");
        }

        var (batch, sequence, hidden) = ((int)output.Shape[0], (int)output.Shape[1], (int)output.Shape[2]);
        var values = output.ToFloatArray();
        var mask = attentionMask?.ToDoubleArray();
        if (mask is not null && mask.Length != batch * sequence)
        {
            throw new PipelineGateException(PgCode.DataShapeMismatch,
                string.Create(CultureInfo.InvariantCulture, $"Output '{outputName}' has {sequence} positions per row but the attention mask {mask.Length / Math.Max(1, batch)}; masked mean pooling needs one mask value per position."),
                hint: "Name the encoder's last hidden state with 'output' in the data settings.");
        }

        var pooled = new double[batch * hidden];
        for (var b = 0; b < batch; b++)
        {
            var weight = 0.0;
            for (var s = 0; s < sequence; s++)
            {
                var m = mask is null ? 1.0 : mask[(b * sequence) + s];
                if (m == 0)
                {
                    continue;
                }

                weight += m;
                var at = ((b * sequence) + s) * hidden;
                for (var h = 0; h < hidden; h++)
                {
                    pooled[(b * hidden) + h] += m * values[at + h];
                }
            }

            for (var h = 0; h < hidden; h++)
            {
                pooled[(b * hidden) + h] /= Math.Max(weight, 1e-9);
            }
        }

        return pooled;
    }

    /// <summary>
    /// Share of rows whose nearest other row by cosine is the same in <paramref name="candidate"/> as in
    /// <paramref name="reference"/>; null with fewer than three rows (one neighbour is always the same).
    /// </summary>
    public static double? NearestNeighbourAgreement(ReadOnlySpan<double> candidate, ReadOnlySpan<double> reference, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var rows = candidate.Length / dimensions;
        if (rows < 3 || reference.Length != candidate.Length)
        {
            return null;
        }

        var a = Nearest(Normalized(candidate, dimensions), rows, dimensions);
        var b = Nearest(Normalized(reference, dimensions), rows, dimensions);
        var same = 0;
        for (var i = 0; i < rows; i++)
        {
            same += a[i] == b[i] ? 1 : 0;
        }

        return (double)same / rows;
    }

    private static double[] Normalized(ReadOnlySpan<double> values, int dimensions)
    {
        var result = values.ToArray();
        for (var r = 0; r < result.Length; r += dimensions)
        {
            var row = result.AsSpan(r, dimensions);
            var norm = Math.Sqrt(Dot(row, row));
            for (var i = 0; norm > 0 && i < row.Length; i++)
            {
                row[i] /= norm;
            }
        }

        return result;
    }

    private static int[] Nearest(double[] unit, int rows, int dimensions)
    {
        var nearest = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            var best = double.NegativeInfinity;
            var at = -1;
            var row = unit.AsSpan(i * dimensions, dimensions);
            for (var j = 0; j < rows; j++)
            {
                if (j == i)
                {
                    continue;
                }

                var cosine = Dot(row, unit.AsSpan(j * dimensions, dimensions));
                if (cosine > best)
                {
                    best = cosine;
                    at = j;
                }
            }

            nearest[i] = at;
        }

        return nearest;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
