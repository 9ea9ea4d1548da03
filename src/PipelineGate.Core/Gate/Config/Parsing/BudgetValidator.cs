using PipelineGate.Diagnostics;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>Checks a budget against the model it applies to: its variant, its target, its data, and the direction of its limit.</summary>
internal static class BudgetValidator
{
    public static bool Validate(ConfigContext context, ParsedBudget parsed, ModelConfig model)
    {
        var b = parsed.Budget;
        var ok = true;
        if (b.Variant is { } variant && parsed.VariantNode is { } variantNode && !model.Variants.Any(v => v.Name == variant))
        {
            var names = model.Variants.Select(static v => v.Name).ToArray();
            context.Report(PgCode.ConfigInvalidValue, variantNode, $"Variant '{variant}' is not defined for model '{model.Name}', which has {string.Join(", ", names)}.{Suggestions.DidYouMean(variant, names)}",
                "Define it under the model's 'variants:', or fix the name.");
            ok = false;
        }

        if (b.Target is { } target && parsed.TargetNode is { } targetNode)
        {
            if (!parsed.Metric.PerTarget)
            {
                context.Report(PgCode.ConfigInvalidValue, targetNode, $"{b.Metric} is the same on every target, so a budget on it cannot name one.", "Remove 'target' from this budget.");
                ok = false;
            }
            else if (!model.Targets.Any(t => t.Name == target))
            {
                var names = model.Targets.Select(static t => t.Name).ToArray();
                context.Report(PgCode.ConfigUnknownTarget, targetNode, $"Target '{target}' is not declared for model '{model.Name}', which is measured on {string.Join(", ", names)}.{Suggestions.DidYouMean(target, names)}",
                    "Add it to the model's 'targets:', or remove 'target' from this budget.");
                ok = false;
            }
        }

        if (parsed.Metric.Name == BudgetRules.Spearman)
        {
            if (model.Pairs is null)
            {
                context.Report(PgCode.ConfigMissingKey, parsed.MetricNode, $"{b.Metric} is computed on labelled sentence pairs, but model '{model.Name}' has no 'data: {{ pairs }}'.",
                    "Add 'data: { pairs: pairs.csv, tokenizer: vocab.txt }' to the model (a CSV of s1,s2,score records).");
                ok = false;
            }
        }
        else if (BudgetRules.NeedsData(parsed.Metric) && model.Data is null)
        {
            context.Report(PgCode.ConfigMissingKey, parsed.MetricNode, $"{b.Metric} is computed on evaluation data, but model '{model.Name}' has no 'data'.",
                "Add 'data: { path: ..., labels: ... }' to the model.");
            ok = false;
        }

        if (b.MaxDrop is not null && b.Variant == VariantConfig.OriginalName && parsed.VariantNode is { } original)
        {
            context.Report(PgCode.ConfigInvalidValue, original, "'max-drop' compares a variant with the original model, so it cannot apply to 'original' itself.",
                "Name an optimized variant, or leave 'variant' out to check every variant.");
            ok = false;
        }

        if (b.VsOriginal && (b.Variant is null || b.Variant == VariantConfig.OriginalName))
        {
            context.Report(PgCode.ConfigComparisonNotApplicable, parsed.VariantNode ?? parsed.VsNode ?? parsed.Node,
                b.Variant is null
                    ? "'vs: original' compares one variant with the original model, so the budget must name that variant."
                    : "'vs: original' compares a variant with the original model, so it cannot apply to 'original' itself.",
                "Add 'variant: NAME' naming an optimized variant of this model (e.g. 'variant: int8').");
            ok = false;
        }

        return ok & Direction(context, parsed, BudgetRules.Effective(parsed.Metric, model), model);
    }

    // A ceiling on a higher-is-better metric (or a floor on a lower-is-better one) would fail the gate when the
    // model gets better, which no gate wants; it is nearly always a swapped min/max.
    private static bool Direction(ConfigContext context, ParsedBudget parsed, MetricInfo metric, ModelConfig model)
    {
        var b = parsed.Budget;
        var accuracy = b.Metric == "accuracy" ? $" ('accuracy' is {model.Metric} for model '{model.Name}')" : "";
        if (b.Max is not null && metric.Direction == MetricDirection.HigherIsBetter)
        {
            context.Report(PgCode.ConfigInvalidValue, parsed.LimitNode, $"{b.Metric} is higher-is-better{accuracy}, so a 'max' would fail the gate when it improves.", "Use 'min' for a floor.");
            return false;
        }

        if (b.Min is not null && metric.Direction == MetricDirection.LowerIsBetter)
        {
            context.Report(PgCode.ConfigInvalidValue, parsed.LimitNode, $"{b.Metric} is lower-is-better{accuracy}, so a 'min' would fail the gate when it improves.", "Use 'max' for a ceiling.");
            return false;
        }

        // Fractions such as top-1 accuracy cannot exceed 1; errors such as mae can.
        var limit = b.Max ?? b.Min ?? b.MaxDrop;
        var ceiling = b.MaxDrop is not null ? 1.0 : metric.Dimension == UnitDimension.Ratio && metric.Direction == MetricDirection.HigherIsBetter ? 1.0 : double.PositiveInfinity;
        if (limit is { } q && q.Value > ceiling + 1e-12)
        {
            context.Report(PgCode.ConfigInvalidValue, parsed.LimitNode, $"'{q.Text}' is more than 100%, which {b.Metric} cannot {(b.MaxDrop is null ? "reach" : "drop by")}.",
                q.Dimension == UnitDimension.Ratio ? "Write a fraction (0.97) or a percentage (97%)." : "Write the drop in percentage points, e.g. 0.5 pp.");
            return false;
        }

        return true;
    }
}
