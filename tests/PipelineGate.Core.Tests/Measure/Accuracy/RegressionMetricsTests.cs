using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Tests.Measure.Accuracy;

public sealed class RegressionMetricsTests
{
    [Fact]
    public void Errors_match_hand_computed_values()
    {
        // Differences: 0.5, -1, 0, 2 -> |d| sum 3.5, d² sum 5.25.
        double[] predicted = [1.5, 1, 3, 6];
        double[] actual = [1, 2, 3, 4];
        var m = RegressionMetrics.Compute(predicted, actual);

        Assert.Equal(4, m.Count);
        Assert.Equal(3.5 / 4, m.MeanAbsoluteError, 12);
        Assert.Equal(Math.Sqrt(5.25 / 4), m.RootMeanSquaredError, 12);
        Assert.Equal(2, m.MaxAbsoluteError, 12);

        // p·a = 1.5 + 2 + 9 + 24 = 36.5; |p|² = 2.25 + 1 + 9 + 36 = 48.25; |a|² = 30.
        Assert.Equal(36.5 / (Math.Sqrt(48.25) * Math.Sqrt(30)), m.CosineSimilarity, 12);
        Assert.Equal([0.5, 1, 0, 2], m.GetSampleAbsoluteErrors());
    }

    [Fact]
    public void Per_sample_error_averages_the_values_of_a_sample()
    {
        var m = RegressionMetrics.Compute(
            TensorData.Create(new float[] { 1, 2, 3, 4 }, 2, 2),
            TensorData.Create(new float[] { 1, 3, 3, 7 }, 2, 2));

        Assert.Equal(2, m.Count);
        Assert.Equal([0.5, 1.5], m.GetSampleAbsoluteErrors());
        Assert.Equal(3, m.MaxAbsoluteError);
    }

    [Fact]
    public void Nan_prediction_propagates_and_is_counted()
    {
        var m = RegressionMetrics.Compute([double.NaN, 1], [0, 1]);
        Assert.True(double.IsNaN(m.MeanAbsoluteError));
        Assert.True(double.IsNaN(m.MaxAbsoluteError));
        Assert.Equal(1, m.NonFinitePredictions);
    }

    [Fact]
    public void Different_value_counts_are_PG2022()
    {
        var ex = Assert.Throws<PipelineGateException>(() => RegressionMetrics.Compute(
            TensorData.Create(new float[] { 1, 2, 3 }, 3),
            TensorData.Create(new float[] { 1, 2 }, 2)));
        Assert.Equal(PgCode.DataShapeMismatch, ex.Code);
    }
}
