using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;

namespace PipelineGate.Cli.Commands;

/// <summary>
/// <c>--target NAME</c>: measure only that target of every model (one CI job per pool, merged afterwards).
/// Budgets of other targets then simply have nothing to judge.
/// </summary>
internal static class TargetFilter
{
    public static GateConfig Apply(GateConfig config, string? target)
    {
        if (target is not { Length: > 0 })
        {
            return config;
        }

        var known = config.Models.SelectMany(static m => m.Targets).Select(static t => t.Name).Distinct(StringComparer.Ordinal).ToList();
        if (!known.Contains(target, StringComparer.Ordinal))
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument,
                $"--target '{target}' is not a target of any model in {config.Path}; it defines {string.Join(", ", known)}.",
                hint: "Pass one of the config's targets, or leave --target out to measure all of them.");
        }

        return config with
        {
            Models = [.. config.Models.Select(m => m with { Targets = [.. m.Targets.Where(t => t.Name == target)] }).Where(static m => m.Targets.Count > 0)],
        };
    }
}
