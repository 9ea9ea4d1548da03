using PipelineGate.Diagnostics;
using PipelineGate.Tensors;

using static System.FormattableString;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Collects regression errors batch by batch; <see cref="Result"/> gives the <see cref="RegressionMetrics"/>.
/// NaN predictions are not skipped: they make the averages NaN (a gate comparing against a threshold
/// then fails) and are counted so the report can say why. Not thread-safe.
/// </summary>
public sealed class RegressionAccumulator
{
    private readonly List<double> _sampleErrors = [];
    private long _values;
    private double _sumAbs;
    private double _sumSquared;
    private double _maxAbs;
    private double _dot;
    private double _normPredicted;
    private double _normActual;
    private long _nonFinite;

    /// <summary>Samples added so far.</summary>
    public int Count => _sampleErrors.Count;

    /// <summary>
    /// Adds predictions and targets with the same number of elements ([N] against [N, 1] is fine); the
    /// sample count is the targets' leading dimension (1 for a scalar).
    /// </summary>
    public void Add(TensorData predicted, TensorData actual)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(actual);
        if (predicted.ElementCount != actual.ElementCount)
        {
            throw new PipelineGateException(
                PgCode.DataShapeMismatch,
                Invariant($"The predictions have shape {Shapes.Text(predicted.Shape)} but the targets {Shapes.Text(actual.Shape)}; they need the same number of values."),
                hint: "Score the output that predicts the targets, and store one target row per sample.");
        }

        var samples = actual.Rank == 0 ? 1 : actual.Shape[0];
        var perSample = samples == 0 ? 1 : (int)(actual.ElementCount / samples);
        Add(predicted.ToDoubleArray(), actual.ToDoubleArray(), perSample);
    }

    /// <summary>Adds predictions and targets, <paramref name="valuesPerSample"/> consecutive values per sample.</summary>
    public void Add(ReadOnlySpan<double> predicted, ReadOnlySpan<double> actual, int valuesPerSample = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(valuesPerSample, 1);
        if (predicted.Length != actual.Length || actual.Length % valuesPerSample != 0)
        {
            throw new PipelineGateException(
                PgCode.DataShapeMismatch,
                Invariant($"There are {predicted.Length} predicted values for {actual.Length} targets ({valuesPerSample} per sample)."),
                hint: "Pass one prediction per target value.");
        }

        for (var s = 0; s < actual.Length / valuesPerSample; s++)
        {
            var sampleAbs = 0.0;
            for (var j = s * valuesPerSample; j < (s + 1) * valuesPerSample; j++)
            {
                var p = predicted[j];
                var a = actual[j];
                var diff = p - a;
                var abs = Math.Abs(diff);
                sampleAbs += abs;
                _sumAbs += abs;
                _sumSquared += diff * diff;

                // Math.Max propagates NaN, so one NaN makes the maximum NaN too.
                _maxAbs = Math.Max(_maxAbs, abs);
                _dot += p * a;
                _normPredicted += p * p;
                _normActual += a * a;
                if (!double.IsFinite(p))
                {
                    _nonFinite++;
                }
            }

            _sampleErrors.Add(sampleAbs / valuesPerSample);
            _values += valuesPerSample;
        }
    }

    /// <summary>The metrics over every sample added so far.</summary>
    public RegressionMetrics Result()
    {
        var n = (double)_values;
        return new RegressionMetrics(
            _sampleErrors.Count,
            _values,
            _values == 0 ? double.NaN : _sumAbs / n,
            _values == 0 ? double.NaN : Math.Sqrt(_sumSquared / n),
            _values == 0 ? double.NaN : _maxAbs,
            _values == 0 ? double.NaN : RowMath.Cosine(_dot, _normPredicted, _normActual),
            _nonFinite,
            [.. _sampleErrors]);
    }
}
