using PipelineGate.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace PipelineGate.Gate.Config.Parsing;

/// <summary>
/// Reads <c>profiles:</c>. A profile's measure settings are merged over the top-level ones; its budgets are
/// checked against the model they name, or against every model when they name none.
/// </summary>
internal static class ProfileReader
{
    public static Dictionary<string, ProfileConfig> ReadAll(ConfigContext context, YamlNode node, MeasureConfig measure, IReadOnlyList<ModelConfig> models)
    {
        var profiles = new Dictionary<string, ProfileConfig>(StringComparer.Ordinal);
        if (node is not YamlMappingNode mapping)
        {
            context.Report(PgCode.ConfigInvalidValue, node, $"'profiles' must be a mapping of profile names to settings, got {Scalars.Describe(node)}.", "Write e.g. 'profiles:' then '  pr:' on the next line.");
            return profiles;
        }

        foreach (var (key, value) in mapping.Children)
        {
            if (Scalars.Name(context, key, "Profile name") is { } name && Read(context, name, key, value, measure, models) is { } profile)
            {
                profiles[name] = profile;
            }
        }

        return profiles;
    }

    private static ProfileConfig? Read(ConfigContext context, string name, YamlNode key, YamlNode value, MeasureConfig measure, IReadOnlyList<ModelConfig> models)
    {
        if (Scalars.IsNull(value))
        {
            return new ProfileConfig(name, [], null, false, null, context.Locate(key));
        }

        if (MappingReader.Open(context, value, $"profile '{name}'", ConfigKeys.Profile) is not { } m)
        {
            return null;
        }

        var profileMeasure = m.Value("measure") is { } measureNode ? MeasureReader.Read(context, measureNode, measure) : null;
        var budgets = m.Value("budgets") is { } budgetsNode ? ReadBudgets(context, budgetsNode, models) : [];
        var ratchet = m.Value("ratchet") is { } ratchetNode && Scalars.Boolean(context, ratchetNode, "'ratchet'") == true;
        string? results = null;
        if (m.Value("ratchet-results") is { } resultsNode)
        {
            if (!ratchet)
            {
                context.Report(PgCode.ConfigInvalidValue, resultsNode, "'ratchet-results' is only used with 'ratchet: true'.", "Add 'ratchet: true' to this profile, or remove 'ratchet-results'.");
            }

            results = DataPaths.Resolve(context, resultsNode, "'ratchet-results'")?.Full;
        }
        else if (ratchet)
        {
            results = Path.GetFullPath(Path.Combine(context.Directory, ".pipelinegate", $"{name}-results.json"));
        }

        return new ProfileConfig(name, budgets, profileMeasure, ratchet, results, context.Locate(key));
    }

    private static List<ProfileBudget> ReadBudgets(ConfigContext context, YamlNode node, IReadOnlyList<ModelConfig> models)
    {
        var result = new List<ProfileBudget>();
        var seen = new Dictionary<string, ParsedBudget>(StringComparer.Ordinal);
        foreach (var item in Scalars.Sequence(context, node, "'budgets'") ?? [])
        {
            if (BudgetReader.Read(context, item, inProfile: true) is not { } parsed || !Validate(context, parsed, models))
            {
                continue;
            }

            var key = $"{parsed.Model ?? "*"}|{parsed.Budget.Key}";
            if (seen.TryGetValue(key, out var first))
            {
                context.Report(PgCode.ConfigInvalidValue, parsed.Node, $"This budget repeats the one at {Scalars.LineOf(first.Node)}: same model, metric, variant, target and kind of limit.", "Keep one of them.");
                continue;
            }

            seen[key] = parsed;
            result.Add(new ProfileBudget(parsed.Model, parsed.Budget));
        }

        return result;
    }

    private static bool Validate(ConfigContext context, ParsedBudget parsed, IReadOnlyList<ModelConfig> models)
    {
        if (parsed.Model is null)
        {
            var ok = true;
            foreach (var model in models)
            {
                ok &= BudgetValidator.Validate(context, parsed, model);
            }

            return ok;
        }

        if (models.FirstOrDefault(m => m.Name == parsed.Model) is { } named)
        {
            return BudgetValidator.Validate(context, parsed, named);
        }

        var names = models.Select(static m => m.Name).ToArray();
        context.Report(PgCode.ConfigInvalidValue, parsed.ModelNode!, $"Model '{parsed.Model}' is not defined; the config defines {string.Join(", ", names)}.{Suggestions.DidYouMean(parsed.Model, names)}",
            "Name one of the models, or leave 'model' out to apply the budget to every model.");
        return false;
    }
}
