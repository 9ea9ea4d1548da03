using PipelineGate.Diagnostics;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Tensors;
using Xunit;

namespace PipelineGate.Tests.Measure.Accuracy;

public sealed class FidelityMetricsTests
{
    [Fact]
    public void Identical_outputs_have_no_difference()
    {
        double[] probs = [0.2, 0.8, 0.6, 0.4];
        var m = FidelityMetrics.Compute(probs, probs, 2);

        Assert.Equal(1.0, m.Top1Agreement);
        Assert.Equal(0.0, m.MeanKlDivergence!.Value, 12);
        Assert.False(m.KlSoftmaxApplied);
        Assert.Equal(0.0, m.MaxAbsDifference);
        Assert.Equal(0.0, m.RelativeL2);
        Assert.Equal(1.0, m.MeanCosineSimilarity, 12);
    }

    [Fact]
    public void Probability_rows_are_compared_as_given()
    {
        double[] reference = [0.5, 0.5, 0.9, 0.1];
        double[] candidate = [0.25, 0.75, 0.9, 0.1];
        var m = FidelityMetrics.Compute(candidate, reference, 2);

        // Row 0: 0.5·ln(0.5/0.25) + 0.5·ln(0.5/0.75) = 0.5·ln(4/3); row 1: 0.
        Assert.Equal(0.5 * Math.Log(4.0 / 3) / 2, m.MeanKlDivergence!.Value, 12);
        Assert.False(m.KlSoftmaxApplied);

        // Row 0 arg-max: candidate 1, reference 0 (tie -> first) -> disagree; row 1 agrees.
        Assert.Equal(0.5, m.Top1Agreement);
        Assert.Equal([false, true], m.GetTop1Agreement());
        Assert.Equal(0.25, m.MaxAbsDifference, 12);

        // ||c - r|| = sqrt(0.125); ||r|| = sqrt(0.25 + 0.25 + 0.81 + 0.01).
        Assert.Equal(Math.Sqrt(0.125) / Math.Sqrt(1.32), m.RelativeL2, 12);
    }

    [Fact]
    public void Logits_get_softmax_first_and_the_result_says_so()
    {
        double[] reference = [0, Math.Log(3)]; // softmax: 0.25, 0.75
        double[] candidate = [0, 0];           // softmax: 0.5, 0.5
        var m = FidelityMetrics.Compute(candidate, reference, 2);

        var expected = (0.25 * Math.Log(0.25 / 0.5)) + (0.75 * Math.Log(0.75 / 0.5));
        Assert.True(m.KlSoftmaxApplied);
        Assert.Contains("softmax", m.KlInterpretation, StringComparison.Ordinal);
        Assert.Equal(expected, m.MeanKlDivergence!.Value, 12);
    }

    [Fact]
    public void Nan_and_inf_in_the_candidate_are_counted()
    {
        var m = FidelityMetrics.Compute([double.NaN, 1, double.PositiveInfinity, 0], [0.5, 0.5, 0.5, 0.5], 2);
        Assert.Equal(1, m.CandidateNaNCount);
        Assert.Equal(1, m.CandidateInfCount);
        Assert.True(double.IsNaN(m.MaxAbsDifference));
    }

    [Fact]
    public void Different_shapes_are_PG2022()
    {
        var ex = Assert.Throws<PipelineGateException>(() => FidelityMetrics.Compute(
            TensorData.Create(new float[6], 2, 3),
            TensorData.Create(new float[6], 3, 2)));
        Assert.Equal(PgCode.DataShapeMismatch, ex.Code);
    }
}
