using PipelineGate.Diagnostics;
using PipelineGate.Gate;
using PipelineGate.Gate.Results;

namespace PipelineGate.Publish.Merge;

/// <summary>
/// Joins the results of shards (<c>--shard i/n</c> deals models out, <c>--target</c> splits by target)
/// into the one result an unsharded run would have given: one report, one comment, one exit code.
/// A target or check skipped in one shard and measured in another is not a conflict (the measured one
/// stands); the same model × variant × target measured twice is, because no rule could pick the right one.
/// </summary>
public static class ResultsMerger
{
    public static GateResult Merge(IReadOnlyList<(string Path, GateResult Result)> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
        {
            throw new PipelineGateException(PgCode.UsageInvalidArgument, "Nothing to merge: pass at least one results.json.");
        }

        var first = shards[0];
        foreach (var (path, r) in shards.Skip(1))
        {
            if (!SameGate(first.Result, r))
            {
                throw new PipelineGateException(PgCode.ResultsMergeConflict,
                    $"'{path}' comes from another gate ({Describe(r)}) than '{first.Path}' ({Describe(first.Result)}): shards of one run share the config and profile.", path);
            }
        }

        var models = new ModelMerge();
        var checks = new CheckMerge();
        foreach (var (path, r) in shards)
        {
            models.Add(path, r.Models);
            checks.Add(path, r.Checks);
        }

        return first.Result with
        {
            StartedAt = shards.Min(static s => s.Result.StartedAt),
            DurationSeconds = shards.Max(static s => s.Result.DurationSeconds),
            Models = models.Result(),
            Checks = GateRunner.Order(checks.Result()),
            Notices = [.. shards.SelectMany(static s => s.Result.Notices).Distinct()],
            Shard = null,
            WarnOnly = shards.All(static s => s.Result.WarnOnly),
        };
    }

    private static bool SameGate(GateResult a, GateResult b) =>
        string.Equals(a.ConfigPath.Replace('\\', '/'), b.ConfigPath.Replace('\\', '/'), StringComparison.Ordinal)
        && string.Equals(a.Profile, b.Profile, StringComparison.Ordinal);

    private static string Describe(GateResult r) => r.Profile is { Length: > 0 } p ? $"{r.ConfigPath}#{p}" : r.ConfigPath;

    /// <summary>Whether the entry says something was measured (not skipped), so it wins over a skipped twin.</summary>
    internal static bool Measured(TargetResult t) => !string.Equals(t.Status, "skipped", StringComparison.Ordinal);
}
