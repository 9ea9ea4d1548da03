using PipelineGate.Measure.Evaluation;
using Xunit;

namespace PipelineGate.Tests.Measure.Evaluation;

/// <summary>The one place that decides whether two evaluations can be compared (eval, quantize and the gate all ask it).</summary>
public sealed class EvaluationResultTests
{
    [Fact]
    public void Fidelity_compares_aligned_outputs_candidate_against_reference()
    {
        var reference = Result([0.9, 0.1, 0.2, 0.8], perSample: 2);
        var candidate = Result([0.6, 0.4, 0.7, 0.3], perSample: 2);

        var f = candidate.FidelityAgainst(reference)!;

        Assert.Equal(2, f.Rows);
        Assert.Equal(0.5, f.Top1Agreement); // row 0 agrees (class 0), row 1 does not
        Assert.Equal(0.5, f.MaxAbsDifference, 12); // |0.7 − 0.2| and |0.3 − 0.8|
    }

    [Theory]
    [InlineData(2, 4, 3)] // another output width
    [InlineData(2, 6, 2)] // another number of samples
    [InlineData(0, 0, 0)] // nothing was evaluated
    public void Fidelity_is_null_when_the_outputs_do_not_line_up(int perSample, int otherLength, int otherPerSample)
    {
        var a = Result(new double[perSample * 2], perSample);
        var b = Result(new double[otherLength], otherPerSample);

        Assert.Null(a.FidelityAgainst(b));
    }

    [Fact]
    public void Paired_accuracy_is_candidate_minus_reference_with_the_discordant_counts()
    {
        var reference = Result([], 0) with { Correct = [true, true, false, false] };
        var candidate = Result([], 0) with { Correct = [true, false, true, true] };

        var p = candidate.PairedAccuracyAgainst(reference)!;

        Assert.Equal(25.0, p.DifferencePoints, 12); // 3/4 − 2/4
        Assert.Equal((1, 2), (p.McNemar.OnlyACorrect, p.McNemar.OnlyBCorrect));
    }

    [Fact]
    public void Paired_accuracy_is_null_without_correctness_for_both_or_on_different_samples()
    {
        var labelled = Result([], 0) with { Correct = [true, false] };

        Assert.Null(labelled.PairedAccuracyAgainst(Result([], 0)));
        Assert.Null(Result([], 0).PairedAccuracyAgainst(labelled));
        Assert.Null(labelled.PairedAccuracyAgainst(labelled with { Correct = [true, false, true] }));
    }

    private static EvaluationResult Result(double[] scores, int perSample) =>
        new("top1", double.NaN, perSample == 0 ? 0 : scores.Length / perSample, null, null, scores, perSample);
}
