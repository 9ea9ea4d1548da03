using System.Globalization;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Measure.Evaluation;

/// <summary>
/// What <c>pipelinegate eval</c> reports, as data: schema <c>pipelinegate/eval/v1</c> (docs/schemas/eval-v1.md),
/// written by <see cref="Report.MachineJson"/> and shown as rows by the CLI. Accuracies and agreements are
/// fractions 0..1; the paired difference is in percentage points, this model − the reference.
/// </summary>
public sealed record EvaluationReport
{
    public const string SchemaId = "pipelinegate/eval/v1";

    public string Schema => SchemaId;

    public required string Model { get; init; }

    public required string Data { get; init; }

    public string? Reference { get; init; }

    public required string Metric { get; init; }

    /// <summary>The chosen metric's value; null without labels (only fidelity can be judged then).</summary>
    public double? Value { get; init; }

    public required int Samples { get; init; }

    /// <summary>Text lines cut to the maximum length (text data only).</summary>
    public int TruncatedRows { get; init; }

    public ClassificationSummary? Classification { get; init; }

    public RegressionSummary? Regression { get; init; }

    public FidelitySummary? Fidelity { get; init; }

    public PairedSummary? Paired { get; init; }

    /// <summary>similarity.spearman on labelled sentence pairs (<c>--pairs</c>), and with a reference the paired change of ρ.</summary>
    public SimilaritySummary? Similarity { get; init; }

    public sealed record ClassificationSummary(double Top1, int TopK, double TopKAccuracy, double MacroPrecision, double MacroRecall, double MacroF1);

    public sealed record RegressionSummary(double Mae, double Rmse, double MaxAbsError, double CosineSimilarity);

    /// <summary>
    /// Agreement with the reference. For a text encoder (mean-pooled sentence embeddings) top-1 agreement means
    /// nothing and is null; the cosines and nearest-neighbour agreement are given instead.
    /// </summary>
    public sealed record FidelitySummary(double? Top1Agreement, double? MeanKlDivergence, double MaxAbsDifference, double RelativeL2, long NaNOutputs, long InfOutputs)
    {
        public double? MeanCosine { get; init; }

        public double? MinCosine { get; init; }

        public double? NearestNeighbourAgreement { get; init; }
    }

    /// <summary>Top-1 of this model minus the reference's on the same samples, with its 95% interval and McNemar's p.</summary>
    public sealed record PairedSummary(double Top1DifferencePoints, double Lower, double Upper, double McNemarP, string McNemarMethod);

    /// <summary>
    /// Spearman's ρ of the pair cosines with the scores and its 95% bootstrap interval over the pairs; with a reference,
    /// its ρ and this model's ρ minus the reference's with the 95% paired bootstrap interval (same resampled pairs for
    /// both; 1000 resamples, seed 0). Differences are in units of ρ, not points.
    /// </summary>
    public sealed record SimilaritySummary(string Pairs, int PairCount, int TruncatedSentences, double Spearman, double Lower, double Upper)
    {
        public double? ReferenceSpearman { get; init; }

        public double? Difference { get; init; }

        public double? DifferenceLower { get; init; }

        public double? DifferenceUpper { get; init; }
    }

    /// <summary>The similarity summary of <paramref name="result"/> (and its change from <paramref name="reference"/>) on the same pairs.</summary>
    public static SimilaritySummary? SimilarityOf(string pairsPath, Text.PairSimilarityResult result, IReadOnlyList<double> scores, Text.PairSimilarityResult? reference = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (double.IsNaN(result.Spearman))
        {
            return null;
        }

        var ci = SpearmanBootstrap.Interval(result.Cosines, scores);
        var summary = new SimilaritySummary(pairsPath, result.Pairs, result.TruncatedSentences, result.Spearman, ci.Lower, ci.Upper);
        if (reference is null || double.IsNaN(reference.Spearman))
        {
            return summary;
        }

        var paired = SpearmanBootstrap.Paired(reference.Cosines, result.Cosines, scores);
        return summary with { ReferenceSpearman = reference.Spearman, Difference = paired.Difference, DifferenceLower = paired.Interval.Lower, DifferenceUpper = paired.Interval.Upper };
    }

    /// <summary>A report of the pairs alone (<c>eval --pairs</c> without --data/--text): the metric is similarity.spearman.</summary>
    public static EvaluationReport OfPairs(string model, SimilaritySummary? similarity, string pairsPath, int pairs, string? referencePath = null) => new()
    {
        Model = model,
        Data = pairsPath,
        Reference = referencePath,
        Metric = "similarity.spearman",
        Value = similarity?.Spearman,
        Samples = pairs,
        TruncatedRows = similarity?.TruncatedSentences ?? 0,
        Similarity = similarity,
    };

    public static EvaluationReport Of(string model, string data, EvaluationResult result, string? referencePath = null, EvaluationResult? reference = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var fidelity = reference is null ? null : result.FidelityAgainst(reference);
        var paired = reference is null || fidelity is null ? null : result.PairedAccuracyAgainst(reference);
        return new EvaluationReport
        {
            Model = model,
            Data = data,
            Reference = referencePath,
            Metric = result.Metric,
            Value = double.IsNaN(result.Value) ? null : result.Value,
            Samples = result.Samples,
            Classification = result.Classification is { } c ? new(c.Top1Accuracy, c.TopK, c.TopKAccuracy, c.MacroPrecision, c.MacroRecall, c.MacroF1) : null,
            Regression = result.Regression is { } r ? new(r.MeanAbsoluteError, r.RootMeanSquaredError, r.MaxAbsoluteError, r.CosineSimilarity) : null,
            TruncatedRows = result.TruncatedRows,
            Fidelity = fidelity is { } f
                ? new(result.Embeddings ? null : f.Top1Agreement, f.MeanKlDivergence, f.MaxAbsDifference, f.RelativeL2, f.CandidateNaNCount, f.CandidateInfCount)
                {
                    MeanCosine = double.IsFinite(f.MeanCosineSimilarity) ? f.MeanCosineSimilarity : null,
                    MinCosine = double.IsFinite(f.MinCosineSimilarity) ? f.MinCosineSimilarity : null,
                    NearestNeighbourAgreement = f.NearestNeighbourAgreement,
                }
                : null,
            Paired = paired is { } p ? new(p.DifferencePoints, p.Interval.Lower, p.Interval.Upper, p.McNemar.PValue, p.McNemar.Method.ToString()) : null,
        };
    }

    /// <summary>The report as (label, value) rows for a table, in the JSON's order, numbers in the invariant culture.</summary>
    public IEnumerable<(string Label, string Value)> Rows()
    {
        if (Classification is { } c)
        {
            yield return ("top1", Fraction(c.Top1));
            yield return ($"top{c.TopK}", Fraction(c.TopKAccuracy));
            yield return ("macro precision", Fraction(c.MacroPrecision));
            yield return ("macro recall", Fraction(c.MacroRecall));
            yield return ("macro f1", Fraction(c.MacroF1));
        }

        if (Regression is { } r)
        {
            yield return ("mae", General(r.Mae, "G6"));
            yield return ("rmse", General(r.Rmse, "G6"));
            yield return ("max abs error", General(r.MaxAbsError, "G6"));
            yield return ("cosine similarity", Fraction(r.CosineSimilarity));
        }

        if (Fidelity is { } f)
        {
            if (f.Top1Agreement is { } agreement)
            {
                yield return ("fidelity: top-1 agreement", Fraction(agreement));
            }

            if (f.MeanCosine is { } mean)
            {
                yield return ("fidelity: mean cosine", General(mean, "0.00000"));
            }

            if (f.MinCosine is { } min)
            {
                yield return ("fidelity: min cosine", General(min, "0.00000"));
            }

            if (f.NearestNeighbourAgreement is { } nn)
            {
                yield return ("fidelity: nearest-neighbour agreement", Fraction(nn));
            }

            if (f.MeanKlDivergence is { } kl)
            {
                yield return ("fidelity: mean KL divergence", General(kl, "G4"));
            }

            yield return ("fidelity: max |Δ|", General(f.MaxAbsDifference, "G4"));
            yield return ("fidelity: relative L2", General(f.RelativeL2, "G4"));
            yield return ("fidelity: NaN outputs", Report.ReportFormat.Count(f.NaNOutputs));
            yield return ("fidelity: Inf outputs", Report.ReportFormat.Count(f.InfOutputs));
        }

        if (Paired is { } p)
        {
            yield return ("top1 vs reference", string.Create(CultureInfo.InvariantCulture,
                $"{Points(p.Top1DifferencePoints)} pp (95% CI {Points(p.Lower)} … {Points(p.Upper)}), McNemar {PValueText.Format(p.McNemarP)}"));
        }

        if (Similarity is { } s)
        {
            yield return ("similarity: Spearman rho", $"{General(s.Spearman, "0.0000")} (95% CI {General(s.Lower, "0.0000")} … {General(s.Upper, "0.0000")}, {s.PairCount} pairs)");
            if (s.ReferenceSpearman is { } referenceRho)
            {
                yield return ("similarity: reference rho", General(referenceRho, "0.0000"));
            }

            if (s is { Difference: { } d, DifferenceLower: { } lo, DifferenceUpper: { } hi })
            {
                yield return ("similarity: rho vs reference", $"{Report.ReportFormat.Signed(d, "0.0000")} (95% paired bootstrap CI {Report.ReportFormat.Signed(lo, "0.0000")} … {Report.ReportFormat.Signed(hi, "0.0000")})");
            }
        }
    }

    private static string Fraction(double v) => General(v, "0.0000");

    private static string General(double v, string format) => Report.ReportFormat.Number(v, format);

    private static string Points(double v) => Report.ReportFormat.Signed(v, "0.00");
}
