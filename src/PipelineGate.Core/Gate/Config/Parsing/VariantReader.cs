using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>Reads <c>variants:</c>; the implicit "original" variant comes first in the result.</summary>
internal static class VariantReader
{
    public static IReadOnlyList<VariantConfig> ReadAll(ConfigContext context, YamlNode? node, YamlNode owner)
    {
        var variants = new List<VariantConfig> { new(VariantConfig.OriginalName, [], context.Locate(owner)) };
        if (node is null || Scalars.Sequence(context, node, "'variants'") is not { } items)
        {
            return variants;
        }

        var seen = new Dictionary<string, YamlNode>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            if (MappingReader.Open(context, item, "a variant", ConfigKeys.Variant) is not { } m)
            {
                continue;
            }

            var nameNode = m.Required("name", "Name the variant, e.g. int8.");
            var name = nameNode is null ? null : Scalars.Name(context, nameNode, "Variant name");
            var steps = m.Required("steps", "List the steps, e.g. '- quantize: { mode: dynamic }'.") is { } s ? ReadSteps(context, s) : null;
            if (name is null || nameNode is null)
            {
                continue;
            }

            if (string.Equals(name, VariantConfig.OriginalName, StringComparison.OrdinalIgnoreCase))
            {
                context.Report(PgCode.ConfigInvalidValue, nameNode, $"'{VariantConfig.OriginalName}' is the unmodified model and is always measured; a variant cannot take that name.", "Choose another name.");
                continue;
            }

            // Variant names become file and report names, which may be case-insensitive.
            if (seen.TryGetValue(name, out var first))
            {
                context.Report(PgCode.ConfigInvalidValue, nameNode, $"Variant '{name}' is defined twice in this model; the first is at {Scalars.LineOf(first)}.", "Give each variant its own name.");
                continue;
            }

            // Kept even when its steps had errors (which are reported), so budgets naming it do not add a second error.
            seen[name] = nameNode;
            variants.Add(new VariantConfig(name, steps ?? [], context.Locate(item)));
        }

        return variants;
    }

    private static List<RecipeStep>? ReadSteps(ConfigContext context, YamlNode node)
    {
        if (Scalars.Sequence(context, node, "'steps'") is not { } items)
        {
            return null;
        }

        if (items.Count == 0)
        {
            context.Report(PgCode.ConfigInvalidValue, node, "'steps' must list at least one step; a variant without steps is the original model.", "Add e.g. '- quantize: { mode: dynamic }'.");
            return null;
        }

        var steps = new List<RecipeStep>();
        var ok = true;
        foreach (var item in items)
        {
            if (StepReader.Read(context, item) is { } step)
            {
                if (steps.Any(s => s.Kind == step.Kind))
                {
                    context.Report(PgCode.ConfigInvalidValue, item, $"This variant already has a '{step.Kind}' step.", "Use one step of each kind; define another variant for other settings.");
                    ok = false;
                }

                // Pruning and factorization work on float weights; after quantization there are none left.
                if (step.Kind is "prune" or "factorize" && steps.Any(static s => s.Kind == "quantize"))
                {
                    context.Report(PgCode.StepAfterQuantize, item, $"'{step.Kind}' must come before 'quantize': steps run in the order written, and {step.Kind} needs float weights.", $"Move the {step.Kind} step above the quantize step.");
                    ok = false;
                }

                steps.Add(step);
            }
            else
            {
                ok = false;
            }
        }

        return ok ? steps : null;
    }
}
