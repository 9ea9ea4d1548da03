using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Tests.Measure.Accuracy;

public sealed class ClassificationMetricsTests
{
    // Four samples, three classes. Arg-max per row: 0, 1, 1, 0; labels 0, 1, 2, 2.
    // Second-best per row: 1, 2, 2, 2 — so top-2 also catches samples 2 and 3.
    private static readonly double[] Scores =
    [
        0.7, 0.2, 0.1,
        0.1, 0.6, 0.3,
        0.2, 0.5, 0.3,
        0.5, 0.1, 0.4,
    ];

    private static readonly long[] Labels = [0, 1, 2, 2];

    [Fact]
    public void Top1_and_topk_accuracy_match_hand_counts()
    {
        var m = ClassificationMetrics.Compute(Scores, 3, Labels, topK: 2);

        Assert.Equal(4, m.Count);
        Assert.Equal(3, m.ClassCount);
        Assert.Equal(0.5, m.Top1Accuracy, 12); // samples 0 and 1
        Assert.Equal(1.0, m.TopKAccuracy, 12); // the label is first or second everywhere
        Assert.Equal([true, true, false, false], m.GetTop1Correct());
    }

    [Fact]
    public void Macro_scores_average_classes_and_count_never_predicted_as_zero_precision()
    {
        var m = ClassificationMetrics.Compute(Scores, 3, Labels, topK: 2);

        // Predicted: class 0 twice (one right), class 1 twice (one right), class 2 never.
        // Support: class 0 once, class 1 once, class 2 twice.
        // P = (1/2, 1/2, 0); R = (1, 1, 0); F1 = (2/3, 2/3, 0).
        Assert.Equal((0.5 + 0.5 + 0) / 3, m.MacroPrecision, 12);
        Assert.Equal((1.0 + 1.0 + 0) / 3, m.MacroRecall, 12);
        Assert.Equal(((2.0 / 3) + (2.0 / 3) + 0) / 3, m.MacroF1, 12);
        Assert.Equal(3, m.AveragedClasses);
        Assert.Equal(1, m.NeverPredictedClasses);
        Assert.Equal(new ClassMetrics(2, 2, 0, 0, 0, 0, 0), m.PerClass[2]);
    }

    [Fact]
    public void Classes_absent_from_labels_and_predictions_are_left_out_of_macro_average()
    {
        // Five score columns, but classes 3 and 4 are neither labels nor predictions.
        var scores = new double[] { 1, 0, 0, 0, 0, 0, 1, 0, 0, 0 };
        var m = ClassificationMetrics.Compute(scores, 5, [0, 1], topK: 1);

        Assert.Equal(2, m.AveragedClasses);
        Assert.Equal(1.0, m.MacroF1, 12);
    }

    [Fact]
    public void Ties_go_to_the_first_index_and_nan_rows_are_wrong()
    {
        // Row 0: tie between classes 0 and 1, label 1 -> argmax 0, wrong at top-1, right at top-2.
        // Row 1: all NaN -> no prediction.
        var scores = new[] { 0.5, 0.5, 0.0, double.NaN, double.NaN, double.NaN };
        var m = ClassificationMetrics.Compute(scores, 3, [1, 0], topK: 2);

        Assert.Equal(0.0, m.Top1Accuracy);
        Assert.Equal(0.5, m.TopKAccuracy);
        Assert.Equal(1, m.RowsWithNaN);
    }

    [Fact]
    public void Tensor_overload_accepts_one_hot_labels_and_batches_accumulate()
    {
        var scores = TensorData.Create(Scores.Select(static v => (float)v).ToArray(), 4, 3);
        var oneHot = TensorData.Create(new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1 }, 4, 3);
        var whole = ClassificationMetrics.Compute(scores, oneHot, topK: 2);

        var acc = new ClassificationAccumulator(topK: 2);
        acc.Add(Scores.AsSpan(0, 6), 3, Labels.AsSpan(0, 2));
        acc.Add(Scores.AsSpan(6, 6), 3, Labels.AsSpan(2, 2));
        var batched = acc.Result();

        Assert.Equal(whole.Top1Accuracy, batched.Top1Accuracy);
        Assert.Equal(whole.TopKAccuracy, batched.TopKAccuracy);
        Assert.Equal(whole.MacroF1, batched.MacroF1, 12);
    }

    [Fact]
    public void Predicted_labels_give_accuracy_without_scores()
    {
        var m = ClassificationMetrics.FromPredictedLabels([0, 1, 1, 0], Labels, 3);
        Assert.Equal(0.5, m.Top1Accuracy);
        Assert.Equal(0.5, m.TopKAccuracy);
    }

    [Fact]
    public void Label_out_of_range_or_count_mismatch_is_PG2025()
    {
        var outOfRange = Assert.Throws<PipelineGateException>(() => ClassificationMetrics.Compute(Scores, 3, [0, 1, 2, 3]));
        Assert.Equal(PgCode.DataLabelMismatch, outOfRange.Code);

        var count = Assert.Throws<PipelineGateException>(() => ClassificationMetrics.Compute(Scores, 3, [0, 1, 2]));
        Assert.Equal(PgCode.DataLabelMismatch, count.Code);

        var fractional = Assert.Throws<PipelineGateException>(
            () => ClassificationMetrics.Compute(TensorData.Create(Scores, 4, 3), TensorData.Create(new[] { 0.0, 1.5, 2, 2 }, 4)));
        Assert.Equal(PgCode.DataLabelMismatch, fractional.Code);
    }
}
