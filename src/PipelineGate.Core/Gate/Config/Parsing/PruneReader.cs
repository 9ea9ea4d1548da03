using System.Globalization;
using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Reads the options of <c>prune</c> and <c>factorize</c> steps into the string form
/// Optimize/Pruning/PruneOptions and Optimize/LowRank/FactorizeOptions parse, checked at their line.
/// </summary>
internal static class PruneReader
{
    public static RecipeStep? Prune(ConfigContext context, YamlScalarNode kindNode, YamlNode value)
    {
        if (Scalars.IsNull(value))
        {
            context.Report(PgCode.ConfigMissingKey, kindNode, "'prune' needs 'sparsity'.", "Write e.g. '- prune: { sparsity: 50% }'.");
            return null;
        }

        if (MappingReader.Open(context, value, "'prune'", ConfigKeys.Prune) is not { } m)
        {
            return null;
        }

        var options = new StepOptions();

        var method = "magnitude";
        if (m.Value("method") is { } methodNode)
        {
            var parsed = Scalars.OneOf(context, methodNode, "'method'", ConfigKeys.PruneMethods);
            options.Put("method", parsed);
            method = parsed ?? method;
        }

        if (m.Value("pattern") is { } patternNode)
        {
            var text = Scalars.Text(context, patternNode, "'pattern'");
            if (text is not null && !IsPattern(text))
            {
                context.Report(PgCode.PrunePatternUnfollowable, patternNode, $"'pattern' '{text}' is not N:M with 0 < N < M ≤ 64.", "Write e.g. 2:4 (keep 2 of every 4 weights).");
                text = null;
            }

            options.Put("pattern", text);
        }

        // An N:M pattern fixes the sparsity (2:4 removes half); otherwise it is required.
        var sparsityNode = m.Value("sparsity");
        if (sparsityNode is null && method != "nm" && !m.Has("pattern"))
        {
            m.Required("sparsity", "Write e.g. 'sparsity: 50%'.");
            options.Fail();
        }
        else if (sparsityNode is not null)
        {
            var sparsity = Scalars.Quantity(context, sparsityNode, "'sparsity'", [UnitDimension.Ratio]);
            if (sparsity is { Value: >= 1 })
            {
                context.Report(PgCode.PruneAmountOutOfRange, sparsityNode, $"'sparsity' must be below 100%, got '{sparsity.Value.Text}'.", "Write the share to remove, e.g. 50%.");
                sparsity = null;
            }

            options.Put("sparsity", sparsity?.Text);
        }

        foreach (var key in (ReadOnlySpan<string>)["per-layer", "global", "skip-first-last"])
        {
            if (m.Value(key) is { } node)
            {
                var b = Scalars.Boolean(context, node, $"'{key}'");
                options.Put(key, b is null ? null : b.Value ? "true" : "false");
            }
        }

        if (m.Value("multiple-of") is { } multiple)
        {
            options.Put("multiple-of", Scalars.Integer(context, multiple, "'multiple-of'", 1, 256)?.ToString(CultureInfo.InvariantCulture));
        }

        if (m.Value("norm") is { } norm)
        {
            options.Put("norm", Scalars.OneOf(context, norm, "'norm'", Optimize.Pruning.PruneOptions.Norms));
        }

        options.PutMaxDrop(context, m);
        return options.Step("prune", context.Locate(kindNode));
    }

    public static RecipeStep? Factorize(ConfigContext context, YamlScalarNode kindNode, YamlNode value)
    {
        var options = new StepOptions();
        if (Scalars.IsNull(value))
        {
            return options.Step("factorize", context.Locate(kindNode));
        }

        if (MappingReader.Open(context, value, "'factorize'", ConfigKeys.Factorize) is not { } m)
        {
            return null;
        }

        if (m.Value("energy") is { } energyNode && m.Value("rank") is not null)
        {
            context.Report(PgCode.FactorizeNotApplicable, energyNode, "factorize takes either 'energy' or 'rank', not both.", "Keep one of them.");
            return null;
        }

        if (m.Value("energy") is { } energy)
        {
            var q = Scalars.Quantity(context, energy, "'energy'", [UnitDimension.Ratio]);
            if (q is { Value: <= 0 or > 1 })
            {
                context.Report(PgCode.PruneAmountOutOfRange, energy, $"'energy' must be above 0 and at most 100%, got '{q.Value.Text}'.", "Write the share of Σσ² to keep, e.g. 95%.");
                q = null;
            }

            options.Put("energy", q?.Text);
        }

        if (m.Value("rank") is { } rank)
        {
            var r = Scalars.Integer(context, rank, "'rank'", 1);
            options.Put("rank", r?.ToString(CultureInfo.InvariantCulture));
        }

        options.PutMaxDrop(context, m);
        return options.Step("factorize", context.Locate(kindNode));
    }

    private static bool IsPattern(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var mm)
            && n > 0 && n < mm && mm <= 64;
    }
}
