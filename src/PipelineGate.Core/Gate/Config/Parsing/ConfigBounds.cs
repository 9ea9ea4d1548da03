using System.Globalization;
using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Limits a config must keep before it is read: configs come from pull requests, which anyone can open.
/// YAML aliases (<c>*a</c>) point at the anchored node itself, so ten levels of ten aliases are a few lines
/// of text but 10^10 nodes to any reader that walks them; the expansion is counted here once per distinct
/// node (memoised), which costs the size of the text, and refused above <see cref="MaxExpandedNodes"/>.
/// </summary>
internal static class ConfigBounds
{
    public const int MaxCharacters = 4 * 1024 * 1024;

    public const long MaxExpandedNodes = 100_000;

    public const int MaxModels = 1000;

    public const int MaxVariantsPerModel = 100;

    public static void CheckExpansion(ConfigContext context, YamlNode root)
    {
        var sizes = new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance);
        var open = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var size = Size(root, sizes, open);
        if (size is null)
        {
            throw new ConfigException([new Diagnostic(PgCode.ConfigTooLarge, DiagnosticSeverity.Error,
                "The config has a YAML alias (*name) inside the node its anchor (&name) names, so it would never end.",
                context.File, (int)root.Start.Line, (int)root.Start.Column, "Remove the self-referring alias.")]);
        }

        if (size > MaxExpandedNodes)
        {
            throw new ConfigException([new Diagnostic(PgCode.ConfigTooLarge, DiagnosticSeverity.Error,
                string.Create(CultureInfo.InvariantCulture, $"The config expands to more than {MaxExpandedNodes:N0} YAML nodes through its anchors and aliases (&name / *name); a gate config needs far fewer."),
                context.File, (int)root.Start.Line, (int)root.Start.Column, "Write the repeated parts out, or use profiles for variations.")]);
        }
    }

    public static void CheckCounts(ConfigContext context, GateConfig config)
    {
        if (config.Models.Count > MaxModels)
        {
            var m = config.Models[MaxModels];
            context.Report(PgCode.ConfigTooManyEntries, m.Location.Line, m.Location.Column,
                string.Create(CultureInfo.InvariantCulture, $"The config lists {config.Models.Count} models; one gate run measures at most {MaxModels}."),
                "Split the models over several configs, or run shards (--shard i/n) of a smaller config.");
        }

        // The loader puts the implicit "original" first; the limit counts the variants the config declares.
        foreach (var model in config.Models.Where(static m => m.Variants.Count - 1 > MaxVariantsPerModel))
        {
            context.Report(PgCode.ConfigTooManyEntries, model.Location.Line, model.Location.Column,
                string.Create(CultureInfo.InvariantCulture, $"Model '{model.Name}' has {model.Variants.Count - 1} variants; a model has at most {MaxVariantsPerModel} besides the original."),
                "Keep the variants you ship; try others with 'pipelinegate quantize' or 'prune' outside the gate.");
        }
    }

    // Null: a cycle. Sizes saturate just above the bound, so no count overflows.
    private static long? Size(YamlNode node, Dictionary<YamlNode, long> sizes, HashSet<YamlNode> open)
    {
        if (sizes.TryGetValue(node, out var known))
        {
            return known;
        }

        if (!open.Add(node))
        {
            return null;
        }

        long total = 1;
        IEnumerable<YamlNode> children = node switch
        {
            YamlMappingNode map => map.Children.SelectMany(static kv => new[] { kv.Key, kv.Value }),
            YamlSequenceNode seq => seq.Children,
            _ => [],
        };
        foreach (var child in children)
        {
            if (Size(child, sizes, open) is not { } s)
            {
                return null;
            }

            total = Math.Min(total + s, MaxExpandedNodes + 1);
        }

        open.Remove(node);
        sizes[node] = total;
        return total;
    }
}
