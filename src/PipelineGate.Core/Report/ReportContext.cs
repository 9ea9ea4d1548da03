using PipelineGate.Gate.Config;
using PipelineGate.Gate.Results;

namespace PipelineGate.Report;

/// <summary>
/// One read of a <see cref="GateResult"/> shared by every renderer: the checks in report order, the
/// rows of the summary table, and look-ups from a check to the variant and target it was measured on.
/// Keeping the selection here is what makes the console, Markdown and HTML agree on what comes first.
/// </summary>
internal sealed class ReportContext
{
    // Passes shown in the summary table after the failures and warnings: enough to show that size,
    // accuracy and timing were looked at, few enough that the failure stays the first thing read.
    private const int KeyPasses = 3;

    private readonly Dictionary<(string Model, string Variant), VariantResult> _variants = [];

    public ReportContext(GateResult result, ReportOptions options)
    {
        Result = result;
        Options = options;
        foreach (var model in result.Models)
        {
            foreach (var variant in model.Variants)
            {
                _variants.TryAdd((model.Name, variant.Name), variant);
            }
        }

        Summary = result.Summary;
        MultipleModels = result.Models.Count > 1;
        Ordered = [.. result.Checks.Select(static (c, i) => (c, i)).OrderBy(static x => Rank(x.c.Outcome)).ThenBy(static x => x.i).Select(static x => x.c)];
        var problems = Ordered.Where(static c => c.Outcome is CheckOutcome.Fail or CheckOutcome.Warn).ToList();
        var shownProblems = problems.Take(Math.Max(1, options.MaxRows)).ToList();
        HiddenProblems = problems.Count - shownProblems.Count;
        var room = Math.Min(KeyPasses, Math.Max(0, options.MaxRows - shownProblems.Count));
        Headline = [.. shownProblems, .. PickKeyPasses(room)];
    }

    public GateResult Result { get; }

    public ReportOptions Options { get; }

    public GateSummary Summary { get; }

    public bool MultipleModels { get; }

    /// <summary>Every check: failures, warnings, passes, then skipped; the results' order within each.</summary>
    public IReadOnlyList<CheckResult> Ordered { get; }

    /// <summary>The rows of the summary table.</summary>
    public IReadOnlyList<CheckResult> Headline { get; }

    /// <summary>Failures and warnings that did not fit in the summary table.</summary>
    public int HiddenProblems { get; }

    public bool AnyRemeasured => Result.Checks.Any(static c => c.Remeasured);

    public string BaseLabel => Options.BaseLabel ?? DeriveBaseLabel(Result.Baseline);

    public VariantResult? Variant(CheckResult c) => _variants.GetValueOrDefault((c.Model, c.Variant));

    public TargetResult? Target(CheckResult c) =>
        Variant(c)?.Targets.FirstOrDefault(t => string.Equals(t.Target, c.Target, StringComparison.Ordinal));

    /// <summary>True when a model has more than one variant, so a row must say which one it is about.</summary>
    public bool HasSeveralVariants(string model) =>
        Result.Models.FirstOrDefault(m => string.Equals(m.Name, model, StringComparison.Ordinal))?.Variants.Count > 1;

    private IEnumerable<CheckResult> PickKeyPasses(int count)
    {
        // The first pass of each family (timing, size, quality...) in results order: one row each
        // shows the reader that every kind of budget was looked at, without burying the failure.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return Ordered
            .Where(static c => c.Outcome == CheckOutcome.Pass)
            .Where(c => seen.Add(Family(c.Metric)))
            .Take(count);
    }

    private static string Family(string metric) => MetricCatalog.Find(metric) switch
    {
        { Timing: true } => "timing",
        { Deterministic: true } => "size",
        { } m when MetricCatalog.IsQuality(m) => "quality",
        _ => metric,
    };

    private static int Rank(CheckOutcome o) => o switch
    {
        CheckOutcome.Fail => 0,
        CheckOutcome.Warn => 1,
        CheckOutcome.Pass => 2,
        _ => 3,
    };

    private static string DeriveBaseLabel(BaselineInfo b) => b.Kind switch
    {
        "ref" when b.Commit is { Length: > 0 } commit => $"{ShortRef(b.Ref)} @ {commit[..Math.Min(7, commit.Length)]}",
        "ref" => ShortRef(b.Ref),
        "results" => "stored results",
        _ => "no baseline",
    };

    // "origin/main" reads as "main" in a PR; the remote is noise there.
    private static string ShortRef(string? reference) =>
        reference is null ? "base" : reference.StartsWith("origin/", StringComparison.Ordinal) ? reference["origin/".Length..] : reference;
}
