using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Reads one recipe step, a mapping with a single key (<c>quantize</c>, <c>prune</c> or <c>factorize</c>) whose value holds its options.
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
            "prune" => PruneReader.Prune(context, kindNode, value),
            "factorize" => PruneReader.Factorize(context, kindNode, value),
            _ => Unknown(context, kindNode, kind),
        };
    }

    private static RecipeStep? Unknown(ConfigContext context, YamlNode kindNode, string kind)
    {
        context.Report(PgCode.ConfigUnknownKey, kindNode, $"Unknown step '{kind}'.{Suggestions.DidYouMean(kind, ConfigKeys.StepKinds)}", $"Valid steps: {string.Join(", ", ConfigKeys.StepKinds)}.");
        return null;
    }
}
