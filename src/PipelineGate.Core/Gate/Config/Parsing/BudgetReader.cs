using PipelineGate.Diagnostics;
using PipelineGate.Measure;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Reads one budget on its own: its metric, exactly one limit in units that fit the metric, severity.
/// Whether its variant and target exist, and which way "accuracy" points, depend on the model: see <see cref="BudgetValidator"/>.
/// </summary>
internal static class BudgetReader
{
    private static readonly string[] VsOriginalMetrics = ["latency.p50", "latency.mean", "latency.p90"];

    public static ParsedBudget? Read(ConfigContext context, YamlNode node, bool inProfile)
    {
        if (MappingReader.Open(context, node, "a budget", inProfile ? ConfigKeys.ProfileBudget : ConfigKeys.Budget) is not { } m)
        {
            return null;
        }

        var metricNode = m.Required("metric", "Name the metric, e.g. 'metric: latency.p90' (docs/config.md lists them all).");
        var metric = metricNode is null ? null : Metric(context, metricNode);
        var variantNode = m.Value("variant");
        var variant = variantNode is null ? null : Scalars.NonEmpty(context, variantNode, "'variant'");
        var targetNode = m.Value("target");
        var target = targetNode is null ? null : CanonicalTarget(Scalars.NonEmpty(context, targetNode, "'target'"));
        var modelNode = m.Value("model");
        var model = modelNode is null ? null : Scalars.NonEmpty(context, modelNode, "'model'");
        var severity = m.Value("severity") is { } s ? Scalars.OneOf(context, s, "'severity'", ConfigKeys.Severities) : "error";
        var limit = Limit(context, m, metric);
        var vsNode = m.Value("vs");
        var vs = vsNode is null ? "base" : Comparand(context, vsNode, metric, limit?.Key);
        if (vs is null || metric is null || metricNode is null || limit is null || severity is null
            || (variantNode is not null && variant is null) || (targetNode is not null && target is null) || (modelNode is not null && model is null))
        {
            return null;
        }

        var (key, value, valueNode) = limit.Value;
        var budget = new BudgetConfig
        {
            Metric = metric.Name,
            Variant = variant,
            Target = target,
            Max = key == "max" ? value : null,
            Min = key == "min" ? value : null,
            MaxDrop = key == "max-drop" ? value : null,
            MaxRegression = key == "max-regression" ? value : null,
            VsOriginal = vs == "original",
            WarningOnly = severity == "warning",
            Location = context.Locate(node),
        };
        return new ParsedBudget(budget, metric, model, node, metricNode, variantNode, targetNode, modelNode, valueNode) { VsNode = vsNode };
    }

    /// <summary>
    /// <c>vs: base | original</c>. The original is timed interleaved with each variant, so only a max-regression
    /// on a latency that A/B comparison estimates (p50, mean, p90) can be against it.
    /// </summary>
    private static string? Comparand(ConfigContext context, YamlNode node, MetricInfo? metric, string? limitKey)
    {
        if (Scalars.Text(context, node, "'vs'") is not { } text)
        {
            return null;
        }

        if (!ConfigKeys.Comparands.Contains(text, StringComparer.Ordinal))
        {
            context.Report(PgCode.ConfigUnknownComparison, node, $"'vs: {text}' is not something a budget can compare with.{Suggestions.DidYouMean(text, ConfigKeys.Comparands)}",
                "Write 'vs: original' to compare a variant with the original model timed in the same run, or leave 'vs' out (or 'vs: base') to compare with the baseline.");
            return null;
        }

        if (text == "original" && metric is not null && limitKey is not null && (limitKey != "max-regression" || !VsOriginalMetrics.Contains(metric.Name, StringComparer.Ordinal)))
        {
            context.Report(PgCode.ConfigComparisonNotApplicable, node,
                limitKey != "max-regression"
                    ? $"'vs: original' applies to 'max-regression', but this budget has '{limitKey}'."
                    : $"'vs: original' compares latency timed interleaved with the original, and {metric.Name} is not one of {string.Join(", ", VsOriginalMetrics)}.",
                limitKey != "max-regression" ? "Write the limit as 'max-regression: 0%' (or remove 'vs'); accuracy drops vs the original are 'max-drop'." : "Put the budget on latency.p50, latency.mean or latency.p90, or remove 'vs'.");
            return null;
        }

        return text;
    }

    // Targets are named by provider, so a budget may spell TensorRT "trt" as its target may; an unknown
    // name is left as written for the validator to report against the model's targets.
    private static string? CanonicalTarget(string? name) =>
        ProviderNames.TryParse(name, out var provider) ? ProviderNames.Canonical(provider) : name;

    private static MetricInfo? Metric(ConfigContext context, YamlNode node)
    {
        if (Scalars.Text(context, node, "'metric'") is not { } name)
        {
            return null;
        }

        if (MetricCatalog.Find(name) is { } info)
        {
            return info;
        }

        var names = MetricCatalog.Metrics.Select(static x => x.Name).ToArray();
        context.Report(PgCode.ConfigInvalidValue, node, $"Unknown metric '{name}'.{Suggestions.DidYouMean(name, names)}", $"Valid metrics: {string.Join(", ", names)}.");
        return null;
    }

    private static (string Key, Quantity Value, YamlNode Node)? Limit(ConfigContext context, MappingReader m, MetricInfo? metric)
    {
        var written = ConfigKeys.Limits.Where(m.Has).ToArray();
        if (written.Length == 0 && ConfigKeys.Limits.Any(m.Misspelt))
        {
            return null;
        }

        if (written.Length != 1)
        {
            YamlNode at = written.Length == 0 ? m.Node : m.Key(written[1])!;
            context.Report(PgCode.ConfigInvalidValue, at,
                written.Length == 0 ? "A budget needs a limit: one of max, min, max-drop or max-regression." : $"A budget has exactly one limit, but this one has {string.Join(", ", written)}.",
                written.Length == 0 ? "Add e.g. 'max: 12 ms'." : "Split it into one budget per limit.");
            return null;
        }

        var key = written[0];
        var node = m.Value(key)!;
        if (metric is null)
        {
            return null;
        }

        if (key == "max-drop" && !MetricCatalog.IsQuality(metric))
        {
            context.Report(PgCode.ConfigInvalidValue, m.Key(key)!, $"'max-drop' compares a variant's accuracy with the original model's, and {metric.Name} is not an accuracy metric.",
                "Use 'max' for an absolute limit or 'max-regression' to compare with the baseline.");
            return null;
        }

        var subject = $"'{key}' of {metric.Name}";
        return Scalars.Quantity(context, node, subject, BudgetRules.Allowed(metric, key)) is { } q ? (key, q, node) : null;
    }
}
