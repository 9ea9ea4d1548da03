using PipelineGate.Diagnostics;
using PipelineGate.Tensors;

using static System.FormattableString;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// Collects classification results batch by batch so that scores never have to be held for the whole
/// evaluation set; <see cref="Result"/> gives the <see cref="ClassificationMetrics"/>. Not thread-safe.
/// </summary>
public sealed class ClassificationAccumulator
{
    private readonly int _topK;
    private readonly List<bool> _top1 = [];
    private int _classes = -1;
    private long[] _truePositives = [];
    private long[] _predicted = [];
    private long[] _support = [];
    private long _topKHits;
    private long _nanRows;

    /// <summary>Creates an accumulator counting a sample as top-k correct when its label is among the <paramref name="topK"/> best scores.</summary>
    public ClassificationAccumulator(int topK = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        _topK = topK;
    }

    /// <summary>Samples added so far.</summary>
    public int Count => _top1.Count;

    /// <summary>
    /// Adds scores [N, C] (logits or probabilities; any trailing dimensions are flattened into C) and
    /// labels: class indices [N] or [N, 1] (any numeric type holding whole numbers), or one-hot /
    /// probability rows [N, C], whose largest entry is the class.
    /// </summary>
    public void Add(TensorData scores, TensorData labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Rank < 2)
        {
            throw new PipelineGateException(
                PgCode.DataShapeMismatch,
                Invariant($"Classification scores need one row per sample and one column per class [N, C]; the output has shape {Shapes.Text(scores.Shape)}."),
                hint: "Use the model's score/probability output, not its predicted-label output (that one goes to predicted-label accuracy).");
        }

        var n = checked((int)scores.Shape[0]);
        var c = checked((int)TensorRows.RowElements(scores.Shape));
        Add(scores.ToDoubleArray(), c, LabelIndices(labels, n, c));
    }

    /// <summary>Adds row-major scores with <paramref name="classCount"/> columns and one class index per row.</summary>
    public void Add(ReadOnlySpan<double> scores, int classCount, ReadOnlySpan<long> labels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (scores.Length != (long)labels.Length * classCount)
        {
            throw LabelCountMismatch(labels.Length, scores.Length / classCount);
        }

        EnsureClasses(classCount);
        CheckLabels(labels);
        var k = Math.Min(_topK, classCount);
        for (var i = 0; i < labels.Length; i++)
        {
            var row = scores.Slice(i * classCount, classCount);
            var label = (int)labels[i];
            var predicted = RowMath.ArgMax(row);
            var hasNaN = false;
            foreach (var v in row)
            {
                hasNaN |= double.IsNaN(v);
            }

            if (hasNaN)
            {
                _nanRows++;
            }

            // Rank of the label: classes scoring higher, plus equal scores at lower indices (numpy's
            // first-index tie rule, which keeps top-1 consistent with argmax). A NaN label score never ranks.
            var own = row[label];
            var hit = false;
            if (!double.IsNaN(own))
            {
                var rank = 0;
                for (var j = 0; j < classCount && rank < k; j++)
                {
                    if (row[j] > own || (row[j] == own && j < label))
                    {
                        rank++;
                    }
                }

                hit = rank < k;
            }

            Record(predicted, label, predicted == label, hit);
        }
    }

    /// <summary>
    /// Adds predicted class indices (for models that output labels rather than scores); top-k then
    /// equals top-1 for these samples.
    /// </summary>
    public void AddPredictions(ReadOnlySpan<long> predicted, ReadOnlySpan<long> labels, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (predicted.Length != labels.Length)
        {
            throw LabelCountMismatch(labels.Length, predicted.Length);
        }

        EnsureClasses(classCount);
        CheckLabels(labels);
        for (var i = 0; i < labels.Length; i++)
        {
            // A prediction outside the classes is simply wrong; it is the model's output, not the data.
            var p = predicted[i] >= 0 && predicted[i] < classCount ? (int)predicted[i] : -1;
            var correct = p == labels[i];
            Record(p, (int)labels[i], correct, correct);
        }
    }

    /// <summary>The metrics over every sample added so far.</summary>
    public ClassificationMetrics Result()
    {
        var classes = Math.Max(_classes, 0);
        var perClass = new ClassMetrics[classes];
        double sumP = 0, sumR = 0, sumF = 0;
        var averaged = 0;
        var neverPredicted = 0;
        for (var c = 0; c < classes; c++)
        {
            var tp = _truePositives[c];
            var precision = _predicted[c] == 0 ? 0 : (double)tp / _predicted[c];
            var recall = _support[c] == 0 ? 0 : (double)tp / _support[c];
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[c] = new ClassMetrics(c, _support[c], _predicted[c], tp, precision, recall, f1);
            if (_support[c] > 0 || _predicted[c] > 0)
            {
                averaged++;
                sumP += precision;
                sumR += recall;
                sumF += f1;
                if (_predicted[c] == 0)
                {
                    neverPredicted++;
                }
            }
        }

        var n = _top1.Count;
        var top1 = _top1.Count(static b => b);
        return new ClassificationMetrics(
            n,
            classes,
            Math.Min(_topK, Math.Max(classes, 1)),
            n == 0 ? double.NaN : (double)top1 / n,
            n == 0 ? double.NaN : (double)_topKHits / n,
            averaged == 0 ? double.NaN : sumP / averaged,
            averaged == 0 ? double.NaN : sumR / averaged,
            averaged == 0 ? double.NaN : sumF / averaged,
            averaged,
            neverPredicted,
            _nanRows,
            perClass,
            [.. _top1]);
    }

    private void Record(int predicted, int label, bool correct, bool topKHit)
    {
        _support[label]++;
        if (predicted >= 0)
        {
            _predicted[predicted]++;
        }

        if (correct)
        {
            _truePositives[label]++;
        }

        if (topKHit)
        {
            _topKHits++;
        }

        _top1.Add(correct);
    }

    private void EnsureClasses(int classCount)
    {
        if (_classes < 0)
        {
            _classes = classCount;
            _truePositives = new long[classCount];
            _predicted = new long[classCount];
            _support = new long[classCount];
        }
        else if (_classes != classCount)
        {
            throw new PipelineGateException(
                PgCode.DataShapeMismatch,
                Invariant($"This batch has {classCount} classes but earlier batches had {_classes}."),
                hint: "Every batch must come from the same model output.");
        }
    }

    private void CheckLabels(ReadOnlySpan<long> labels)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= _classes)
            {
                throw new PipelineGateException(
                    PgCode.DataLabelMismatch,
                    Invariant($"Label {labels[i]} of sample {Count + i} is not a class index 0..{_classes - 1} (the scores have {_classes} columns)."),
                    hint: "Labels must be class indices in the model's output order; check the label encoding and that the right output is scored.");
            }
        }
    }

    private long[] LabelIndices(TensorData labels, int n, int classCount)
    {
        var values = labels.ToDoubleArray();
        var result = new long[n];
        if (values.Length == n)
        {
            for (var i = 0; i < n; i++)
            {
                var v = values[i];
                if (Math.Floor(v) != v || Math.Abs(v) > int.MaxValue)
                {
                    throw new PipelineGateException(
                        PgCode.DataLabelMismatch,
                        Invariant($"Label {v} of sample {Count + i} is not a whole number; classification labels are class indices."),
                        hint: "Store labels as integers (np.int64); for regression targets use the regression metrics.");
                }

                result[i] = (long)v;
            }

            return result;
        }

        if (classCount > 1 && values.Length == (long)n * classCount)
        {
            // One-hot or soft labels: the class is the largest entry.
            for (var i = 0; i < n; i++)
            {
                result[i] = RowMath.ArgMax(values.AsSpan(i * classCount, classCount));
            }

            return result;
        }

        throw new PipelineGateException(
            PgCode.DataLabelMismatch,
            Invariant($"The labels have shape {Shapes.Text(labels.Shape)} for {n} samples with {classCount} classes; expected [{n}], [{n},1] or one-hot [{n},{classCount}]."),
            hint: "Save one class index per sample, in the same order as the inputs.");
    }

    private static PipelineGateException LabelCountMismatch(int labels, long samples)
        => new(
            PgCode.DataLabelMismatch,
            Invariant($"There are {labels} labels for {samples} predictions."),
            hint: "Pass exactly one label per sample, in the same order as the inputs.");
}
