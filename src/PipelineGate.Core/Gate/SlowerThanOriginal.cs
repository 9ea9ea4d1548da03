using System.Globalization;
using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;
using PipelineGate.Gate.Judging;
using PipelineGate.Gate.Results;
using PipelineGate.Measure.Statistics;

namespace PipelineGate.Gate;

/// <summary>
/// PG4006: a variant that is slower than the original model on this runner, said as information (never a warning:
/// a budget is what can require a variant to be faster, <c>vs: original</c>). Called out only by the rule a
/// latency regression is: the variant and the original timed interleaved in this run, the A/B verdict slower
/// beyond <c>measure.threshold</c> (significant, and past it by a standard error), so noise never raises it.
/// </summary>
internal static class SlowerThanOriginal
{
    public static IEnumerable<Diagnostic> Notices(ModelConfig model, IEnumerable<VariantResult> variants)
    {
        foreach (var variant in variants.Where(static v => v.Name != VariantConfig.OriginalName))
        {
            foreach (var target in variant.Targets)
            {
                if (target.VsOriginal is { } vs && Judged(vs, model.Measure) is { Verdict: Verdict.Slower } ab)
                {
                    yield return Notice(model, variant, target.Target, vs, ab);
                }
            }
        }
    }

    /// <summary>The comparison at measure.threshold: the stored one was extended against the tightest vs-original budget, which may be lower.</summary>
    private static ABResult Judged(OriginalComparison vs, MeasureConfig measure)
    {
        var ab = vs.Comparison;
        if (ab.Options.Threshold == measure.Threshold || vs.Original.SamplesMs is not { } original || vs.Variant.SamplesMs is not { } candidate)
        {
            return ab;
        }

        return ABComparison.Compare(original, candidate, ab.Options with { Threshold = measure.Threshold });
    }

    private static Diagnostic Notice(ModelConfig model, VariantResult variant, string target, OriginalComparison vs, ABResult ab)
    {
        var ci = ab.MedianRatioInterval;
        var times = Times(ab.MedianRatio);
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{What(variant)} did not pay here: {model.Name}/{variant.Name} is {times} slower than the original on {target} (p50 {Units.Format(vs.Variant.Summary.Median.Value, UnitDimension.Time)} vs {Units.Format(vs.Original.Summary.Median.Value, UnitDimension.Time)}, median ratio {Units.Level(ci.Level)} CI {Times(ci.Lower)} … {Times(ci.Upper)}, {ab.TestName} {PValueText.Format(ab.PValueSlower)}; timed interleaved in this run).");
        var at = model.Variants.FirstOrDefault(v => v.Name == variant.Name)?.Location ?? model.Location;
        return new Diagnostic(PgCode.VariantSlowerThanOriginal, DiagnosticSeverity.Info, message, at.File, at.Line, at.Column,
            $"Information, not a failure. To require the variant to be no slower, add '{{ metric: latency.p50, variant: {variant.Name}, vs: original, max-regression: 0% }}'; or drop the variant, or try another recipe on this runner's CPU.");
    }

    private static string What(VariantResult variant)
    {
        var steps = variant.Recipe;
        return steps.Any(static s => s.StartsWith("quantize", StringComparison.Ordinal)) ? "quantization"
            : steps.Any(static s => s.StartsWith("prune", StringComparison.Ordinal)) ? "pruning"
            : steps.Any(static s => s.StartsWith("factorize", StringComparison.Ordinal)) ? "factorization"
            : "the optimization";
    }

    private static string Times(double ratio) => ratio.ToString(ratio >= 10 ? "0" : "0.0#", CultureInfo.InvariantCulture) + "×";
}
