using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Reads one recipe step, a mapping with a single key (<c>quantize</c> or <c>prune</c>) whose value holds its options.
/// Options are kept as written (validated), except paths, which are resolved to absolute paths.
/// </summary>
internal static class StepReader
{
    public static RecipeStep? Read(ConfigContext context, YamlNode item)
    {
        if (item is not YamlMappingNode { Children.Count: 1 } mapping || mapping.Children.First().Key is not YamlScalarNode { Value: { } kind } kindNode)
        {
            context.Report(PgCode.ConfigInvalidValue, item, $"A step must be one of {string.Join(", ", ConfigKeys.StepKinds)} with its options, got {Scalars.Describe(item)}.",
                "Write e.g. '- quantize: { mode: dynamic }' or '- prune: { sparsity: 50% }'.");
            return null;
        }

        var value = mapping.Children.First().Value;
        return kind switch
        {
            "quantize" => QuantizeReader.Read(context, kindNode, value),
            "prune" => Prune(context, kindNode, value),
            _ => Unknown(context, kindNode, kind),
        };
    }

    private static RecipeStep? Unknown(ConfigContext context, YamlNode kindNode, string kind)
    {
        context.Report(PgCode.ConfigUnknownKey, kindNode, $"Unknown step '{kind}'.{Suggestions.DidYouMean(kind, ConfigKeys.StepKinds)}", $"Valid steps: {string.Join(", ", ConfigKeys.StepKinds)}.");
        return null;
    }

    private static RecipeStep? Prune(ConfigContext context, YamlScalarNode kindNode, YamlNode value)
    {
        if (Scalars.IsNull(value))
        {
            context.Report(PgCode.ConfigMissingKey, kindNode, "'prune' needs 'sparsity'.", "Write e.g. '- prune: { sparsity: 50% }'.");
            return null;
        }

        if (MappingReader.Open(context, value, "'prune'", ConfigKeys.Prune) is not { } m || m.Required("sparsity", "Write e.g. 'sparsity: 50%'.") is not { } sparsityNode)
        {
            return null;
        }

        if (Scalars.Quantity(context, sparsityNode, "'sparsity'", [UnitDimension.Ratio]) is not { } sparsity)
        {
            return null;
        }

        if (sparsity.Value >= 1)
        {
            context.Report(PgCode.ConfigInvalidValue, sparsityNode, $"'sparsity' must be below 100%, got '{sparsity.Text}'.", "Write the share of weights to zero, e.g. 50%.");
            return null;
        }

        return new RecipeStep("prune", new Dictionary<string, string>(StringComparer.Ordinal) { ["sparsity"] = sparsity.Text }, context.Locate(kindNode));
    }
}
