using PipelineGate.Diagnostics;
using PipelineGate.Measure;
using PipelineGate.Runtime;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>Reads <c>targets:</c>, each either a name ("cpu") or a mapping with threads, required and provider options.</summary>
internal static class TargetReader
{
    /// <summary>One intra-op thread unless told otherwise: the steadiest numbers on a shared CI runner.</summary>
    private const int DefaultThreads = 1;

    public static IReadOnlyList<TargetConfig> ReadAll(ConfigContext context, YamlNode? node, YamlNode owner)
    {
        if (node is null)
        {
            return [Default(context.Locate(owner))];
        }

        if (Scalars.Sequence(context, node, "'targets'") is not { } items)
        {
            return [Default(context.Locate(owner))];
        }

        if (items.Count == 0)
        {
            context.Report(PgCode.ConfigInvalidValue, node, "'targets' must list at least one target.", "Remove the key to measure on cpu only, or list cpu, cuda or tensorrt.");
        }

        var targets = new List<TargetConfig>();
        var seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (Read(context, item) is not { } target)
            {
                continue;
            }

            if (seen.TryGetValue(target.Name, out var first))
            {
                context.Report(PgCode.ConfigInvalidValue, item, $"Target '{target.Name}' is listed twice; the first is at {Scalars.LineOf(first)}.", "List each target once.");
                continue;
            }

            seen[target.Name] = item;
            targets.Add(target);
        }

        return targets;
    }

    private static TargetConfig? Read(ConfigContext context, YamlNode item)
    {
        if (item is YamlScalarNode)
        {
            return Scalars.OneOf(context, item, "Target", ConfigKeys.TargetNames) is { } shortName
                ? Create(shortName, DefaultThreads, null, new Dictionary<string, string>(StringComparer.Ordinal), context.Locate(item))
                : null;
        }

        if (MappingReader.Open(context, item, "a target", ConfigKeys.Target) is not { } m)
        {
            return null;
        }

        var name = m.Required("name", "Name the execution provider: cpu, cuda or tensorrt (trt).") is { } n ? Scalars.OneOf(context, n, "'name'", ConfigKeys.TargetNames) : null;
        var threads = m.Value("threads") is { } t ? Scalars.Integer(context, t, "'threads'", 0) : null;
        var required = m.Value("required") is { } r ? Scalars.Boolean(context, r, "'required'") : null;
        var options = m.Value("options") is { } o ? Scalars.StringMap(context, o, "'options'") : null;
        return name is null ? null : Create(name, threads ?? DefaultThreads, required, options ?? new Dictionary<string, string>(StringComparer.Ordinal), context.Locate(item));
    }

    private static TargetConfig Default(SourceLocation location) =>
        Create("cpu", DefaultThreads, null, new Dictionary<string, string>(StringComparer.Ordinal), location);

    // The CPU provider is always there, so it is required; a GPU target is skipped with a notice where the
    // runner has no GPU, unless the config says it is required. The name is the provider's canonical one,
    // so "trt" and "tensorrt" are the same target in results and budgets.
    private static TargetConfig Create(string name, int threads, bool? required, IReadOnlyDictionary<string, string> options, SourceLocation location)
    {
        // The name was checked against ProviderNames.Accepted where it was read.
        var provider = ProviderNames.TryParse(name, out var p) ? p : ExecutionProvider.Cpu;
        return new TargetConfig(ProviderNames.Canonical(provider), provider, threads, required ?? provider == ExecutionProvider.Cpu, options, location);
    }
}
