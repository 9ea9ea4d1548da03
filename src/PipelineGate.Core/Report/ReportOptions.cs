namespace PipelineGate.Report;

/// <summary>
/// What a report needs beyond the results: how to reproduce the run, where the full report lives,
/// what the baseline is called, and how much fits. Renderers read only this and the <c>GateResult</c>.
/// </summary>
public sealed record ReportOptions
{
    /// <summary>GitHub rejects comment bodies longer than this many characters.</summary>
    public const int GitHubCommentLimit = 65_536;

    /// <summary>The default options: no reproduce command, no artifact, at most 8 rows in the summary table.</summary>
    public static ReportOptions Default { get; } = new();

    /// <summary>Command a developer runs locally to get the same verdict, e.g. <c>pipelinegate check --baseline-ref origin/main</c>.</summary>
    public string? ReproduceCommand { get; init; }

    /// <summary>Name of the CI artifact that holds the full (HTML) report, e.g. <c>pipelinegate-report</c>.</summary>
    public string? ArtifactName { get; init; }

    /// <summary>How the baseline is named in column headers, e.g. "main @ 3f2a1c0"; derived from the results when null.</summary>
    public string? BaseLabel { get; init; }

    /// <summary>
    /// Rows of the compact summary table (failures and warnings first, then a few key passes). Further
    /// failures are counted in a note and listed in the details.
    /// </summary>
    public int MaxRows { get; init; } = 8;

    /// <summary>Upper bound on the Markdown report's length in UTF-16 characters; the details are cut to fit.</summary>
    public int MaxMarkdownLength { get; init; } = GitHubCommentLimit;
}
