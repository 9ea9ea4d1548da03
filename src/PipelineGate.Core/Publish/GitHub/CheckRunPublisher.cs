using Octokit;

namespace PipelineGate.Publish.GitHub;

/// <summary>
/// A completed check run named after the gate, on the PR's head commit: conclusion, the report as its
/// summary, and the failed/warned budgets as annotations on pipelinegate.yml. GitHub takes at most 50
/// annotations per request; the rest are appended by further updates (PATCH adds, it does not replace).
/// </summary>
internal sealed class CheckRunPublisher(IGitHubClient client, GitHubContext ctx, GitHubRetry retry)
{
    public const int AnnotationsPerRequest = 50;

    public static string Name(GateKey key) => "PipelineGate (" + key.Value + ")";

    public async Task<long> PublishAsync(PublishRequest request, string title, string summary, IReadOnlyList<GateAnnotation> annotations, CancellationToken ct)
    {
        var located = annotations.Where(static a => a.Path is not null && a.Line is not null).ToList();
        var batches = located.Chunk(AnnotationsPerRequest).ToList();
        var run = new NewCheckRun(Name(request.Key), ctx.HeadSha!)
        {
            Status = CheckStatus.Completed,
            Conclusion = Conclusion(request),
            CompletedAt = DateTimeOffset.UtcNow,
            Output = Output(title, summary, batches.Count > 0 ? batches[0] : []),
        };
        var created = await retry.Run(() => client.Check.Run.Create(ctx.Owner, ctx.Repository, run), ct).ConfigureAwait(false);
        foreach (var batch in batches.Skip(1))
        {
            var update = new CheckRunUpdate { Output = Output(title, summary, batch) };
            await retry.Run(() => client.Check.Run.Update(ctx.Owner, ctx.Repository, created.Id, update), ct).ConfigureAwait(false);
        }

        return created.Id;
    }

    /// <summary>Failure exactly when the job fails (--fail-on, --warn-only); a pass with warnings is a success with a warning title.</summary>
    internal static CheckConclusion Conclusion(PublishRequest request) =>
        request.Fails ? CheckConclusion.Failure
        : request.Result.Summary.Failed > 0 ? CheckConclusion.Neutral
        : CheckConclusion.Success;

    private static NewCheckRunOutput Output(string title, string summary, IEnumerable<GateAnnotation> batch) => new(title, summary)
    {
        Annotations = [.. batch.Select(static a => new NewCheckRunAnnotation(a.Path!, a.Line!.Value, a.Line!.Value,
            a.IsError ? CheckAnnotationLevel.Failure : CheckAnnotationLevel.Warning, a.Message) { Title = a.Title })],
    };
}
