using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// One model's variants side by side (the original first, as the results list it): rows are metrics,
/// columns are variants, cells are plain text. Built once, drawn by each format.
/// </summary>
internal sealed record VariantTable(ModelResult Model, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static VariantTable Of(ModelResult model)
    {
        var variants = model.Variants;
        var rows = new List<IReadOnlyList<string>>();
        void Row(string label, Func<VariantResult, string> cell) => rows.Add([label, .. variants.Select(cell)]);

        Row("recipe", static v => v.Recipe.Count > 0 ? string.Join(" → ", v.Recipe) : "(original)");
        Row("file size", static v => ReportFormat.Bytes(v.Size.TotalBytes));
        Row("compressed", static v => ReportFormat.Bytes(v.Size.CompressedBytes));
        Row("parameters", static v => v.Size.NonzeroParameterCount == v.Size.ParameterCount
            ? ReportFormat.Count(v.Size.ParameterCount)
            : $"{ReportFormat.Count(v.Size.ParameterCount)} ({ReportFormat.Count(v.Size.NonzeroParameterCount)} nonzero)");
        Row("MACs", static v => ReportFormat.Count(v.Size.Macs) + (v.Size.MacsComplete ? string.Empty : " (lower bound)"));
        foreach (var metric in variants.Select(static v => v.Accuracy?.Metric).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            Row(metric, v => v.Accuracy is { } a && a.Metric == metric ? Accuracy(a) : ReportFormat.Dash);
        }

        if (variants.Any(static v => v.Similarity is not null))
        {
            Row("Spearman ρ (pairs)", static v => v.Similarity is { } s ? Spearman(s) : ReportFormat.Dash);
        }

        if (variants.Any(static v => v.Fidelity?.Top1Agreement is not null))
        {
            Row("top-1 agreement", static v => v.Fidelity?.Top1Agreement is { } t ? ReportFormat.Fraction(t) : ReportFormat.Dash);
        }

        if (variants.Any(static v => v.Fidelity is not null))
        {
            Row("max |Δ output|", static v => v.Fidelity is { } f
                ? ReportFormat.Fraction(f.MaxAbsDifference) + (f.NaNCount + f.InfCount > 0 ? $" ({ReportFormat.Count(f.NaNCount + f.InfCount)} NaN/Inf)" : string.Empty)
                : ReportFormat.Dash);
        }

        foreach (var target in variants.SelectMany(static v => v.Targets).Select(static t => t.Target).Distinct(StringComparer.Ordinal))
        {
            Row($"{target} latency p50", v => Latency(v, target, static s => s.Median.Value));
            Row($"{target} latency p90", v => Latency(v, target, static s => s.P90.Value));
        }

        return new VariantTable(model, ["", .. variants.Select(static v => v.Name)], rows);
    }

    private static string Accuracy(AccuracyResult a)
    {
        var text = $"{ReportFormat.Fraction(a.Value)} (n = {ReportFormat.Count(a.Samples)}";
        return a.ChangeFromOriginal is { } d ? $"{text}; {ReportFormat.SignedPp(d.Difference)} vs original)" : text + ")";
    }

    /// <summary>ρ with its interval over the pairs, and its paired change from the original (in points of ρ, as accuracy's).</summary>
    private static string Spearman(AccuracyResult s)
    {
        var text = $"{ReportFormat.Fraction(s.Value)} (n = {ReportFormat.Count(s.Samples)} pairs";
        return s.ChangeFromOriginal is { } d
            ? $"{text}; {ReportFormat.SignedPp(d.Difference)} vs original, 95% CI {ReportFormat.SignedPp(d.Lower)} … {ReportFormat.SignedPp(d.Upper)})"
            : text + ")";
    }

    private static string Latency(VariantResult v, string target, Func<Measure.Statistics.SampleSummary, double> stat)
    {
        var t = v.Targets.FirstOrDefault(x => string.Equals(x.Target, target, StringComparison.Ordinal));
        return t switch
        {
            null => ReportFormat.Dash,
            { Latency: { } l } => ReportFormat.Duration(stat(l.Summary)),
            _ => "skipped",
        };
    }
}
