using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>The sentences every report shares: the verdict line and the footer's provenance.</summary>
internal static class ReportText
{
    public static string Icon(CheckOutcome outcome) => CheckRow.SymbolOf(outcome);

    /// <summary>"1 budget failed, 1 warning, 14 passed" (and ", 2 skipped" when some were).</summary>
    public static string Counts(GateSummary s)
    {
        var text = $"{Plural(s.Failed, "budget", "budgets")} failed, {Plural(s.Warned, "warning", "warnings")}, {ReportFormat.Count(s.Passed)} passed";
        return s.Skipped > 0 ? text + $", {ReportFormat.Count(s.Skipped)} skipped" : text;
    }

    public static string Plural(int n, string one, string many) => ReportFormat.Count(n) + " " + (n == 1 ? one : many);

    /// <summary>Runner line; timings are only meaningful together with what they were measured on.</summary>
    public static string Runner(GateResult r) => "Runner: " + r.Runner.Describe();

    /// <summary>How the baseline was obtained, which is what decides how far a timing delta can be trusted.</summary>
    public static string Baseline(ReportContext ctx)
    {
        var b = ctx.Result.Baseline;
        var text = b.Kind switch
        {
            "ref" => $"baseline ({ctx.BaseLabel}) and candidate measured interleaved in this job (A/B)",
            "results" => $"baseline read from stored results{(b.ResultsPath is { } p ? " " + p : string.Empty)}, not measured in this job",
            _ => "no baseline: regression budgets were not evaluated",
        };
        if (ctx.AnyRemeasured)
        {
            text += "; failing timings re-measured once before the verdict stood";
        }

        return b.Note is { Length: > 0 } note ? $"{text} ({note})" : text;
    }

    /// <summary>
    /// The footnote every report ends with: how a verdict was reached (docs/config.md, "How budgets are
    /// judged"), so that a reader can tell a warning (undecided) from a failure (evidence) and a pass with a
    /// significant change (information) from either. Against stored results it adds the margin they are judged with.
    /// </summary>
    public static string Rule(ReportContext ctx)
    {
        var text = "Verdicts: fail when the evidence says a limit is broken (a regression: significant and beyond its budget, "
            + "confirmed by a re-measure; an absolute limit: the whole confidence interval past it); warn when it does not fail "
            + "but the interval reaches past the limit; pass when the whole interval is within it, even if the change is "
            + "significant. Exact metrics are judged exactly; a timing without an interval gets a band of ± measure.threshold.";
        return ctx.Result.Baseline.Kind == "results"
            ? text + " The baseline is stored results, not measured interleaved: a regression fails only when its interval is past the budget by a further measure.threshold."
            : text;
    }

    /// <summary>Capitalised and full-stopped, for a clause that stands on its own line.</summary>
    public static string Sentence(string clause) =>
        clause.Length == 0 ? clause : char.ToUpperInvariant(clause[0]) + clause[1..] + (clause.EndsWith('.') ? string.Empty : ".");

    /// <summary>"PipelineGate 0.1.0 · profile pr · shard 1/2 · 84 s".</summary>
    public static string Run(GateResult r)
    {
        var parts = new List<string> { "PipelineGate " + r.ToolVersion };
        if (r.Profile is { Length: > 0 } profile)
        {
            parts.Add("profile " + profile);
        }

        if (r.Shard is { Length: > 0 } shard)
        {
            parts.Add("shard " + shard);
        }

        parts.Add(ReportFormat.Seconds(r.DurationSeconds));
        parts.Add("started " + ReportFormat.Timestamp(r.StartedAt));
        return string.Join(" · ", parts);
    }

    public static string? WarnOnly(GateResult r) =>
        r.WarnOnly && r.Summary.Failed > 0 ? "Warn-only run: the failures above are reported but do not fail the build." : null;

    /// <summary>Model paths for the verdict line; long lists are shortened, the details name them all.</summary>
    public static IReadOnlyList<string> ModelPaths(GateResult r, int max = 3) =>
        [.. r.Models.Select(static m => m.Path).Take(max)];

    public static int MoreModels(GateResult r, int max = 3) => Math.Max(0, r.Models.Count - max);
}
