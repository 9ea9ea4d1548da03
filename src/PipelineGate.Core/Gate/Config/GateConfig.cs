namespace PipelineGate.Gate.Config;

/// <summary>A validated pipelinegate.yml. Paths are absolute (resolved against the config's folder).</summary>
public sealed record GateConfig
{
    public required string Path { get; init; }

    public required int Version { get; init; }

    public required IReadOnlyList<ModelConfig> Models { get; init; }

    public required IReadOnlyDictionary<string, ProfileConfig> Profiles { get; init; }

    /// <summary>The config with a profile applied: its budgets replace those with the same key, its measure settings win.</summary>
    public GateConfig WithProfile(string? profile)
    {
        if (profile is null)
        {
            return this;
        }

        if (!Profiles.TryGetValue(profile, out var p))
        {
            throw new Diagnostics.PipelineGateException(Diagnostics.PgCode.ConfigUnknownProfile,
                $"Profile '{profile}' is not defined; the config defines {(Profiles.Count == 0 ? "no profiles" : string.Join(", ", Profiles.Keys))}.",
                Path, hint: "Add it under 'profiles:' or pass one of the defined names.");
        }

        return this with
        {
            Models = Models.Select(m => m with
            {
                Budgets = Merge(m.Budgets, p.Budgets.Where(b => b.Model is null || b.Model == m.Name).Select(static b => b.Budget)),
                Measure = p.Measure ?? m.Measure,
            }).ToArray(),
        };
    }

    private static BudgetConfig[] Merge(IReadOnlyList<BudgetConfig> baseBudgets, IEnumerable<BudgetConfig> overrides)
    {
        var result = baseBudgets.ToList();
        foreach (var o in overrides)
        {
            result.RemoveAll(b => b.Key == o.Key);
            result.Add(o);
        }

        return [.. result];
    }
}
