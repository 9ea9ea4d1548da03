using PipelineGate.Diagnostics;
using PipelineGate.Gate.Results;

namespace PipelineGate.Publish.Merge;

/// <summary>
/// Checks from several shards. A per-target check exists once per measured target, so two measured
/// copies are a conflict; a target-independent one (size, accuracy) is judged by every shard that
/// built the variant, so its copies are one check and the worst outcome stands.
/// </summary>
internal sealed class CheckMerge
{
    private readonly List<CheckResult> _checks = [];
    private readonly Dictionary<(string Id, string? File, int? Line, int? Column), (int Index, string Path)> _seen = [];

    public void Add(string path, IEnumerable<CheckResult> checks)
    {
        foreach (var c in checks)
        {
            var key = (c.Id, c.File, c.Line, c.Column);
            if (!_seen.TryGetValue(key, out var at))
            {
                _seen[key] = (_checks.Count, path);
                _checks.Add(c);
                continue;
            }

            var kept = _checks[at.Index];
            if (kept.Outcome != CheckOutcome.Skipped && c.Outcome != CheckOutcome.Skipped && c.Target != "—")
            {
                throw new PipelineGateException(PgCode.ResultsMergeConflict,
                    $"Check {c.Id} was judged in two shards ('{at.Path}' and '{path}'): the same model × variant × target was measured twice.", path,
                    hint: "Give each shard its own models (--shard i/n) or its own target (--target).");
            }

            if (Rank(c.Outcome) < Rank(kept.Outcome))
            {
                _checks[at.Index] = c;
                _seen[key] = (at.Index, path);
            }
        }
    }

    public IReadOnlyList<CheckResult> Result() => _checks;

    // Lower is stronger: any judgement beats a skip, and a failure beats a pass.
    private static int Rank(CheckOutcome o) => o switch
    {
        CheckOutcome.Fail => 0,
        CheckOutcome.Warn => 1,
        CheckOutcome.Pass => 2,
        _ => 3,
    };
}
