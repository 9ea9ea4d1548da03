using PipelineGate.Diagnostics;
using PipelineGate.Tensors;

using static System.FormattableString;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Collects how closely a candidate model's outputs follow a reference model's outputs on the same
/// samples, batch by batch; <see cref="Result"/> gives the <see cref="FidelityMetrics"/>. Rows are
/// samples (leading dimension); every further dimension is flattened into the row. Not thread-safe.
/// </summary>
public sealed class FidelityAccumulator
{
    private readonly List<bool> _agreement = [];
    private int _valuesPerRow = -1;
    private long _rows;
    private double _klProbabilities;
    private double _klSoftmax;
    private bool _allProbabilities = true;
    private double _maxAbs;
    private double _sumSquaredDiff;
    private double _sumSquaredReference;
    private double _cosineSum;
    private double _cosineMin = double.PositiveInfinity;
    private long _nan;
    private long _inf;

    /// <summary>Rows (samples) added so far.</summary>
    public long Rows => _rows;

    /// <summary>Adds a batch of candidate and reference outputs of the same shape.</summary>
    public void Add(TensorData candidate, TensorData reference)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        if (!candidate.Shape.SequenceEqual(reference.Shape))
        {
            throw new PipelineGateException(
                PgCode.DataShapeMismatch,
                Invariant($"The candidate's output has shape {Shapes.Text(candidate.Shape)} but the reference's {Shapes.Text(reference.Shape)}; fidelity compares outputs element by element."),
                hint: "Compare the same output of both models on the same batch; a changed output shape is itself a regression.");
        }

        var rows = candidate.Rank == 0 ? 1 : candidate.Shape[0];
        if (rows == 0)
        {
            // An empty batch says nothing about the row length; do not let it fix one.
            return;
        }

        Add(candidate.ToDoubleArray(), reference.ToDoubleArray(), (int)(candidate.ElementCount / rows));
    }

    /// <summary>Adds row-major outputs with <paramref name="valuesPerRow"/> values per sample.</summary>
    public void Add(ReadOnlySpan<double> candidate, ReadOnlySpan<double> reference, int valuesPerRow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(valuesPerRow, 1);
        if (candidate.Length != reference.Length || candidate.Length % valuesPerRow != 0)
        {
            throw new PipelineGateException(
                PgCode.DataShapeMismatch,
                Invariant($"The candidate has {candidate.Length} output values and the reference {reference.Length} ({valuesPerRow} per sample)."),
                hint: "Compare the same output of both models on the same batch.");
        }

        if (_valuesPerRow < 0)
        {
            _valuesPerRow = valuesPerRow;
        }
        else if (_valuesPerRow != valuesPerRow)
        {
            throw new PipelineGateException(
                PgCode.DataShapeMismatch,
                Invariant($"This batch has {valuesPerRow} values per sample but earlier batches had {_valuesPerRow}."),
                hint: "Every batch must come from the same output.");
        }

        var lp = new double[valuesPerRow];
        var lq = new double[valuesPerRow];
        for (var r = 0; r < candidate.Length / valuesPerRow; r++)
        {
            var q = candidate.Slice(r * valuesPerRow, valuesPerRow);
            var p = reference.Slice(r * valuesPerRow, valuesPerRow);
            double dot = 0, nq = 0, np = 0;
            for (var i = 0; i < valuesPerRow; i++)
            {
                var a = q[i];
                var b = p[i];
                if (double.IsNaN(a))
                {
                    _nan++;
                }
                else if (double.IsInfinity(a))
                {
                    _inf++;
                }

                var diff = a - b;
                _maxAbs = Math.Max(_maxAbs, Math.Abs(diff));
                _sumSquaredDiff += diff * diff;
                _sumSquaredReference += b * b;
                dot += a * b;
                nq += a * a;
                np += b * b;
            }

            var cosine = RowMath.Cosine(dot, nq, np);
            _cosineSum += cosine;
            _cosineMin = double.IsNaN(cosine) || double.IsNaN(_cosineMin) ? double.NaN : Math.Min(_cosineMin, cosine);
            if (valuesPerRow > 1)
            {
                var ac = RowMath.ArgMax(q);
                var ar = RowMath.ArgMax(p);
                _agreement.Add(ac >= 0 && ac == ar);

                // Both interpretations are accumulated because whether every row is a distribution is
                // only known at the end; the result reports the one that applies.
                _allProbabilities &= RowMath.IsProbabilityRow(p) && RowMath.IsProbabilityRow(q);
                if (_allProbabilities)
                {
                    _klProbabilities += KlOfProbabilities(p, q);
                }

                RowMath.LogSoftmax(p, lp);
                RowMath.LogSoftmax(q, lq);
                var kl = 0.0;
                for (var i = 0; i < valuesPerRow; i++)
                {
                    kl += Math.Exp(lp[i]) * (lp[i] - lq[i]);
                }

                _klSoftmax += kl;
            }

            _rows++;
        }
    }

    /// <summary>The metrics over every row added so far.</summary>
    public FidelityMetrics Result()
    {
        var perRow = Math.Max(_valuesPerRow, 0);
        var multi = perRow > 1 && _rows > 0;
        double? kl = multi ? (_allProbabilities ? _klProbabilities : _klSoftmax) / _rows : null;
        var softmax = multi && !_allProbabilities;
        string interpretation = !multi
            ? "KL divergence not computed: it needs at least two values per sample."
            : softmax
                ? "KL(reference || candidate) after softmax: not every output row was a probability distribution (values in [0, 1] summing to 1), so the outputs were read as logits."
                : "KL(reference || candidate) on the outputs as given: every row was a probability distribution; candidate probabilities below 1e-12 count as 1e-12.";
        var referenceNorm = Math.Sqrt(_sumSquaredReference);
        var diffNorm = Math.Sqrt(_sumSquaredDiff);
        var relative = referenceNorm == 0 ? (diffNorm == 0 ? 0 : double.PositiveInfinity) : diffNorm / referenceNorm;
        return new FidelityMetrics(
            _rows,
            perRow,
            multi ? (double)_agreement.Count(static a => a) / _agreement.Count : null,
            kl,
            softmax,
            interpretation,
            _rows == 0 ? double.NaN : _maxAbs,
            _rows == 0 ? double.NaN : relative,
            _rows == 0 ? double.NaN : _cosineSum / _rows,
            _nan,
            _inf,
            [.. _agreement])
        {
            MinCosineSimilarity = _rows == 0 ? double.NaN : _cosineMin,
        };
    }

    /// <summary>
    /// KL(p || q) = Σ p·ln(p/q) over p &gt; 0. Candidate probabilities are floored at 1e-12 so a single
    /// exact zero gives a large but finite contribution instead of an infinite mean.
    /// </summary>
    private static double KlOfProbabilities(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        var kl = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] > 0)
            {
                kl += p[i] * (Math.Log(p[i]) - Math.Log(Math.Max(q[i], 1e-12)));
            }
        }

        return kl;
    }
}
