using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Config.Parsing;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Accuracy;
using PipelineGate.Measure.Statistics;
using static System.FormattableString;

namespace PipelineGate.Gate.Judging;

/// <summary>
/// Accuracy and fidelity. An evaluation set is a sample, so where the results hold an interval (top1: its
/// bootstrap interval; a drop or regression: the paired interval on the same samples) <see cref="BudgetRule"/>
/// judges it; a value without one (f1, mae, rmse, fidelity, a stored baseline's accuracy) is reproducible on
/// the same data and is judged exactly.
/// </summary>
internal static partial class BudgetJudge
{
    // Accuracy intervals and McNemar's test are at 95% (PairedComparison's defaults).
    private const double QualityAlpha = 1 - PairedComparison.DefaultConfidence;

    // Accuracies are sums of 1/n; a limit met exactly must not fail on the last bit.
    private const double Tolerance = 1e-12;

    private static CheckResult Quality(JudgeContext c)
    {
        var m = c.Metric;
        var b = c.Budget;
        var name = m.Name == "accuracy" ? c.Model.Metric : m.Name;
        var lowerIsBetter = MetricCatalog.Find(name)?.Direction == MetricDirection.LowerIsBetter;
        if (m.Name.StartsWith("fidelity.", StringComparison.Ordinal))
        {
            return Fidelity(c);
        }

        // similarity.spearman has its own result (on the labelled pairs), judged exactly as an accuracy is.
        var pairs = m.Name == BudgetRules.Spearman;
        AccuracyResult? Result(VariantResult? v) => pairs ? v?.Similarity : v?.Accuracy;
        var accuracy = Result(c.Variant);
        var actual = MetricValues.Quality(m.Name, accuracy, c.Model.Metric);
        if (accuracy is null || actual is null)
        {
            return c.Check(CheckOutcome.Skipped, pairs
                ? $"{name} was not evaluated for {c.Variant.Name} (no labelled pairs, or the pair cosines or scores have no ranking)."
                : $"{name} was not evaluated for {c.Variant.Name} (no evaluation data or a different metric is configured).", null, null);
        }

        switch (b.Kind)
        {
            case BudgetKind.Absolute:
            {
                var isCeiling = b.Max is not null;
                var limit = (b.Max ?? b.Min)!.Value.Value;
                var e = accuracy is { Lower: { } lo, Upper: { } hi } ? new Estimate(actual.Value, lo, hi) : Estimate.Exact(actual.Value);
                var outcome = BudgetRule.Judge(e, isCeiling ? limit + Tolerance : limit - Tolerance, isCeiling);
                var interval = e.IsExact ? "" : Invariant($" (95% CI {e.Lower:0.####} … {e.Upper:0.####})");
                return c.Check(outcome,
                    Invariant($"{name} of {c.Variant.Name} is {actual.Value:0.####}{interval} on {accuracy.Samples} {(pairs ? "pairs" : "samples")}, {BudgetRule.Words(outcome, isCeiling)}; budget {BudgetText.Of(b, m)}."),
                    actual, limit, PgCode.AccuracyUnderBudget) with { DeltaLower = e.IsExact ? null : e.Lower, DeltaUpper = e.IsExact ? null : e.Upper };
            }

            case BudgetKind.DropFromOriginal:
            {
                var original = MetricValues.Quality(m.Name, Result(c.Original), c.Model.Metric);
                if (original is null)
                {
                    return c.Check(CheckOutcome.Skipped, $"The original model's {name} is unknown, so the drop of {c.Variant.Name} cannot be judged.", actual, null);
                }

                var drop = lowerIsBetter ? actual.Value - original.Value : original.Value - actual.Value;
                var paired = accuracy.ChangeFromOriginal;
                return Worsening(c, name, drop, b.MaxDrop!.Value.Value, paired,
                    Invariant($"{name}: original {original:0.####} → {c.Variant.Name} {actual:0.####}"), actual, original, PgCode.AccuracyDropFromOriginal);
            }

            default:
            {
                var baseline = MetricValues.Quality(m.Name, pairs ? c.Variant.BaselineSimilarity : c.Variant.BaselineAccuracy, c.Model.Metric);
                if (baseline is null)
                {
                    return NoBaseline(c, actual.Value);
                }

                var worse = lowerIsBetter ? actual.Value - baseline.Value : baseline.Value - actual.Value;
                var limit = b.MaxRegression!.Value;
                var allowed = limit.Dimension == UnitDimension.Relative ? limit.Value * Math.Abs(baseline.Value) : limit.Value;
                return Worsening(c, name, worse, allowed, accuracy.ChangeFromBaseline,
                    Invariant($"{name}: base {baseline:0.####} → this change {actual:0.####}"), actual, baseline, PgCode.AccuracyRegression);
            }
        }
    }

    /// <summary>
    /// A drop from the original or a regression from the baseline: how much worse (positive = worse) against the
    /// allowance, by the paired interval on the same samples when there is one. The paired interval of an accuracy is
    /// of top-1 correctness, so it is the metric's own interval only when the metric is top1; similarity.spearman's is
    /// the paired bootstrap interval of the difference of ρ itself.
    /// </summary>
    private static CheckResult Worsening(JudgeContext c, string name, double worse, double allowed, PairedChange? paired, string head, double? actual, double? reference, PgCode code)
    {
        var usable = paired is not null && name is "top1" or BudgetRules.Spearman;
        var e = usable ? new Estimate(worse, -paired!.Upper, -paired.Lower) : Estimate.Exact(worse);
        var outcome = BudgetRule.Judge(e, allowed + Tolerance, isCeiling: true);
        var test = paired is null ? "" : $", 95% CI {Units.Points(paired.Lower)} … {Units.Points(paired.Upper)}{(paired.PValue is { } p ? $", {paired.Test} {PValueText.Format(p)}" : $", {paired.Test}")}";
        var words = e.IsExact ? "" : ": " + BudgetRule.Words(outcome, isCeiling: true);
        bool? significant = usable && paired!.PValue is { } pv ? pv < QualityAlpha : null;
        return c.Check(outcome, $"{head} ({Units.Points(-worse)}{test}){words}; budget {BudgetText.Of(c.Budget, c.Metric)}.", actual, reference, code) with
        {
            Delta = -worse,
            DeltaIsRelative = false,
            DeltaLower = paired?.Lower,
            DeltaUpper = paired?.Upper,
            PValue = paired?.PValue,
            Significant = significant,
            Note = outcome == CheckOutcome.Pass && significant == true ? $"significant {Units.Points(-worse)}, within {BudgetText.Of(c.Budget, c.Metric)}" : null,
        };
    }

    private static CheckResult Fidelity(JudgeContext c)
    {
        var m = c.Metric;
        var b = c.Budget;
        var actual = MetricValues.Fidelity(m.Name, c.Variant.Fidelity);
        if (actual is null)
        {
            return c.Check(CheckOutcome.Skipped,
                c.Variant.Fidelity is null ? $"{m.Name} applies to optimized variants evaluated on data; {c.Variant.Name} has none." : $"{m.Name} is not defined for these outputs.", null, null);
        }

        // Fidelity is recomputed identically on the same data and has no interval: judged exactly.
        var limit = (b.Max ?? b.Min ?? b.MaxDrop)!.Value.Value;
        var bad = b.Min is not null ? actual < limit : actual > limit;
        var nan = c.Variant.Fidelity!.NaNCount + c.Variant.Fidelity.InfCount;
        return c.Check(bad || nan > 0 ? CheckOutcome.Fail : CheckOutcome.Pass,
            Invariant($"{m.Name} of {c.Variant.Name} vs original is {actual:0.#####} on {c.Variant.Fidelity.Samples} samples{(nan > 0 ? $"; {nan} NaN/Inf outputs" : "")}; budget {BudgetText.Of(b, m)}."),
            actual, limit, PgCode.AccuracyDropFromOriginal);
    }
}
