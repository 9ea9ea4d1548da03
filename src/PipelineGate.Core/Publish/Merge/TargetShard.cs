using PipelineGate.Diagnostics;
using PipelineGate.Gate.Config;

namespace PipelineGate.Publish.Merge;

/// <summary>
/// <c>check --target T</c>: keeps only the targets named T, or run by provider T (cpu, cuda, tensorrt),
/// so a matrix can measure each target on the runner that has it and merge the shards afterwards.
/// Budgets on other targets then have nothing to judge and produce no checks in this shard.
/// </summary>
public static class TargetShard
{
    public static readonly string[] Providers = ["cpu", "cuda", "tensorrt"];

    public static GateConfig Apply(GateConfig config, string? target)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (target is not { Length: > 0 })
        {
            return config;
        }

        var models = config.Models.Select(m => m with { Targets = [.. m.Targets.Where(t => Matches(t, target))] }).ToList();
        if (models.All(static m => m.Targets.Count == 0))
        {
            var known = config.Models.SelectMany(static m => m.Targets.Select(static t => t.Name)).Distinct(StringComparer.Ordinal);
            throw new PipelineGateException(PgCode.ConfigUnknownTarget,
                $"--target '{target}' matches no target of {config.Path} (it has: {string.Join(", ", known)}).", config.Path,
                hint: "Pass a target name or provider the config declares under 'targets:'.");
        }

        return config with { Models = models };
    }

    private static bool Matches(TargetConfig t, string target) =>
        string.Equals(t.Name, target, StringComparison.OrdinalIgnoreCase)
        || string.Equals(t.Provider.ToString(), target, StringComparison.OrdinalIgnoreCase);
}
