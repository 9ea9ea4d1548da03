using Octokit;

namespace PipelineGate.Publish.GitHub;

/// <summary>
/// One comment per gate and pull request, updated in place. Found by the gate's marker on the first
/// line and by the token's identity. Find-then-create is not atomic, so after creating we list again:
/// the oldest marked comment wins and any newer ones (a concurrent run's, or ours) are deleted.
/// </summary>
internal sealed class StickyComment(IGitHubClient client, GitHubContext ctx, GitHubRetry retry, string? viewer)
{
    // The most GitHub serves per page; pull requests with hundreds of comments take few requests.
    private static readonly ApiOptions AllPages = new() { PageSize = 100 };

    public async Task<(long Id, bool Created, int Deleted)?> PublishAsync(GateKey key, string body, bool create, CancellationToken ct)
    {
        var pr = ctx.PullRequest!.Value;
        var ours = await ListOursAsync(key, ct).ConfigureAwait(false);
        if (ours.Count > 0)
        {
            var keep = ours[0];
            await retry.Run(() => client.Issue.Comment.Update(ctx.Owner, ctx.Repository, keep.Id, body), ct).ConfigureAwait(false);
            return (keep.Id, false, await DeleteAsync(ours.Skip(1), ct).ConfigureAwait(false));
        }

        if (!create)
        {
            return null;
        }

        var created = await retry.Run(() => client.Issue.Comment.Create(ctx.Owner, ctx.Repository, pr, body), ct).ConfigureAwait(false);
        var again = await ListOursAsync(key, ct).ConfigureAwait(false);
        if (again.Count == 0)
        {
            return (created.Id, true, 0); // the listing lags behind; ours stands alone
        }

        var deleted = await DeleteAsync(again.Skip(1), ct).ConfigureAwait(false);
        return (again[0].Id, again[0].Id == created.Id, deleted);
    }

    /// <summary>Our marked comments, oldest first (creation time, then id: ids grow with time).</summary>
    private async Task<List<IssueComment>> ListOursAsync(GateKey key, CancellationToken ct)
    {
        var all = await retry.Run(() => client.Issue.Comment.GetAllForIssue(ctx.Owner, ctx.Repository, ctx.PullRequest!.Value, AllPages), ct).ConfigureAwait(false);
        return [.. all
            .Where(c => PullRequestComment.IsFor(c.Body, key) && ViewerIdentity.IsViewer(c.User?.Login, viewer))
            .OrderBy(static c => c.CreatedAt)
            .ThenBy(static c => c.Id)];
    }

    private async Task<int> DeleteAsync(IEnumerable<IssueComment> newer, CancellationToken ct)
    {
        var n = 0;
        foreach (var c in newer)
        {
            try
            {
                await retry.Run(() => client.Issue.Comment.Delete(ctx.Owner, ctx.Repository, c.Id), ct).ConfigureAwait(false);
                n++;
            }
            catch (NotFoundException)
            {
                // The other run deleted it first: the outcome we wanted.
            }
        }

        return n;
    }
}
