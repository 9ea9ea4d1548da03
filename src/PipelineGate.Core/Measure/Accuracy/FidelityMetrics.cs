using PipelineGate.Tensors;

namespace PipelineGate.Measure.Accuracy;

/// <summary>
/// How closely a candidate model reproduces a reference model's outputs on the same samples, for when
/// there are no labels (e.g. a quantized or optimized model against the original).
/// <para>
/// KL divergence is KL(reference ‖ candidate) per sample, averaged. When every row of both outputs is a
/// probability distribution (finite values in [0, 1] summing to 1 within 1e-3) the outputs are used as
/// given; otherwise softmax is applied to both first and <see cref="KlSoftmaxApplied"/> is true.
/// <see cref="KlInterpretation"/> says which in words for the report.
/// </para>
/// <para>
/// NaN in the candidate is not skipped: it makes the differences NaN (failing any threshold) and is
/// counted in <see cref="CandidateNaNCount"/>.
/// </para>
/// </summary>
public sealed class FidelityMetrics
{
    private readonly bool[] _agreement;

    internal FidelityMetrics(
        long rows,
        int valuesPerRow,
        double? top1Agreement,
        double? meanKlDivergence,
        bool klSoftmaxApplied,
        string klInterpretation,
        double maxAbsDifference,
        double relativeL2,
        double meanCosineSimilarity,
        long candidateNaNCount,
        long candidateInfCount,
        bool[] agreement)
    {
        Rows = rows;
        ValuesPerRow = valuesPerRow;
        Top1Agreement = top1Agreement;
        MeanKlDivergence = meanKlDivergence;
        KlSoftmaxApplied = klSoftmaxApplied;
        KlInterpretation = klInterpretation;
        MaxAbsDifference = maxAbsDifference;
        RelativeL2 = relativeL2;
        MeanCosineSimilarity = meanCosineSimilarity;
        CandidateNaNCount = candidateNaNCount;
        CandidateInfCount = candidateInfCount;
        _agreement = agreement;
    }

    /// <summary>Samples compared.</summary>
    public long Rows { get; }

    /// <summary>Output values per sample.</summary>
    public int ValuesPerRow { get; }

    /// <summary>Fraction (0..1) of samples where both arg-maxes agree; null with fewer than two values per sample.</summary>
    public double? Top1Agreement { get; }

    /// <summary>Mean KL(reference ‖ candidate) in nats; null with fewer than two values per sample.</summary>
    public double? MeanKlDivergence { get; }

    /// <summary>True when the outputs were not all probability rows and softmax was applied before KL.</summary>
    public bool KlSoftmaxApplied { get; }

    /// <summary>A sentence for the report saying how the KL divergence was computed.</summary>
    public string KlInterpretation { get; }

    /// <summary>Largest |candidate − reference| over every value.</summary>
    public double MaxAbsDifference { get; }

    /// <summary>‖candidate − reference‖₂ / ‖reference‖₂ over every value (0 when both are zero, ∞ when only the reference is).</summary>
    public double RelativeL2 { get; }

    /// <summary>Mean over samples of the cosine similarity of the two output rows.</summary>
    public double MeanCosineSimilarity { get; }

    /// <summary>Smallest cosine similarity of a candidate row with its reference row (the worst sample).</summary>
    public double MinCosineSimilarity { get; init; } = double.NaN;

    /// <summary>
    /// For sentence embeddings: the share of samples whose nearest other sample (by cosine) is the same under the
    /// candidate as under the reference, i.e. whether a search over these embeddings returns the same first hit;
    /// null when not computed (not embeddings, or fewer than three samples).
    /// </summary>
    public double? NearestNeighbourAgreement { get; init; }

    public long CandidateNaNCount { get; }

    public long CandidateInfCount { get; }

    /// <summary>Per sample, whether the arg-maxes agree (for <see cref="PairedComparison.Accuracy"/> against the reference).</summary>
    public bool[] GetTop1Agreement() => (bool[])_agreement.Clone();

    /// <summary>These metrics with <see cref="NearestNeighbourAgreement"/> set.</summary>
    public FidelityMetrics WithNearestNeighbourAgreement(double? agreement) =>
        new(Rows, ValuesPerRow, Top1Agreement, MeanKlDivergence, KlSoftmaxApplied, KlInterpretation, MaxAbsDifference, RelativeL2, MeanCosineSimilarity, CandidateNaNCount, CandidateInfCount, _agreement)
        {
            MinCosineSimilarity = MinCosineSimilarity,
            NearestNeighbourAgreement = agreement,
        };

    /// <summary>Fidelity of one candidate output against the reference output of the same shape.</summary>
    public static FidelityMetrics Compute(TensorData candidate, TensorData reference)
    {
        var acc = new FidelityAccumulator();
        acc.Add(candidate, reference);
        return acc.Result();
    }

    /// <summary>Fidelity of row-major outputs with <paramref name="valuesPerRow"/> values per sample.</summary>
    public static FidelityMetrics Compute(ReadOnlySpan<double> candidate, ReadOnlySpan<double> reference, int valuesPerRow)
    {
        var acc = new FidelityAccumulator();
        acc.Add(candidate, reference, valuesPerRow);
        return acc.Result();
    }
}
