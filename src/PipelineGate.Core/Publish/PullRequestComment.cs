using PipelineGate.Gate.Results;
using PipelineGate.Report;

namespace PipelineGate.Publish;

/// <summary>
/// The Markdown every door posts: the gate's key marker, then the report (verdict line, failing rows
/// first with delta, interval and budget, passes folded in details, runner, how to reproduce, where
/// the full report is). Built once from the results; the comment, the check run's summary and the
/// job summary differ only in their length limit.
/// </summary>
public static class PullRequestComment
{
    /// <summary>GitHub rejects comment bodies longer than this (422 "Body is too long").</summary>
    public const int CommentLimit = ReportOptions.GitHubCommentLimit;

    /// <summary>A check run's output.summary and output.text are limited to one less.</summary>
    public const int CheckRunSummaryLimit = 65_535;

    /// <summary>The comment body for <paramref name="key"/>, at most <paramref name="limit"/> characters.</summary>
    public static string Build(GateResult result, GateKey key, ReportOptions options, int limit = CommentLimit)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        var marker = key.Marker + "\n";
        return marker + MarkdownReport.Render(result, options with { MaxMarkdownLength = limit - marker.Length });
    }

    /// <summary>The shortest body that still carries the verdict, for when GitHub refuses the full one anyway.</summary>
    public static string Minimal(GateResult result, GateKey key, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        var where = options.ArtifactName is { Length: > 0 } a ? $"the `{a}` artifact" : "the job log";
        var heading = MarkdownReport.Heading(new ReportContext(result, options));
        return $"{key.Marker}\n{heading}\nThe full report did not fit in a comment; it is in {where}.\n";
    }

    /// <summary>True when the body carries this gate's marker (the first line, as written by <see cref="Build"/>).</summary>
    public static bool IsFor(string? body, GateKey key) =>
        body is not null && body.StartsWith(key.Marker, StringComparison.Ordinal);
}
