namespace PipelineGate.Publish.AzureDevOps;

/// <summary>
/// One pull-request thread per gate, found by the thread property holding the gate's key (people's
/// threads never carry it, so they are never touched). Its first comment is updated in place and its
/// status follows the verdict. Find-then-create is not atomic and threads cannot be deleted, so after
/// creating we list again: the oldest live thread wins, and every newer one is closed and its comment
/// deleted, which leaves one active thread.
/// </summary>
internal sealed class StickyThread(ThreadsApi api)
{
    public async Task<(long Id, bool Created, int Retired)?> PublishAsync(GateKey key, string content, string status, bool create, CancellationToken ct)
    {
        var ours = Ours(await api.ListAsync(ct).ConfigureAwait(false), key);
        if (ours.Count > 0)
        {
            var keep = ours[0];
            await api.UpdateCommentAsync(keep.Id, keep.FirstCommentId!.Value, content, ct).ConfigureAwait(false);
            if (keep.Status != status)
            {
                await api.SetStatusAsync(keep.Id, status, ct).ConfigureAwait(false);
            }

            return (keep.Id, false, await RetireAsync(ours.Skip(1), ct).ConfigureAwait(false));
        }

        if (!create)
        {
            return null;
        }

        var created = await api.CreateAsync(content, status, key, ct).ConfigureAwait(false);
        var again = Ours(await api.ListAsync(ct).ConfigureAwait(false), key);
        if (again.Count == 0)
        {
            return (created.Id, true, 0); // the listing lags behind; ours stands alone
        }

        var retired = await RetireAsync(again.Skip(1), ct).ConfigureAwait(false);
        return (again[0].Id, again[0].Id == created.Id, retired);
    }

    /// <summary>Our live threads, oldest first (ids grow with time).</summary>
    private static List<PullRequestThread> Ours(IEnumerable<PullRequestThread> threads, GateKey key) =>
        [.. threads.Where(t => t.IsLiveFor(key)).OrderBy(static t => t.Id)];

    private async Task<int> RetireAsync(IEnumerable<PullRequestThread> newer, CancellationToken ct)
    {
        var n = 0;
        foreach (var t in newer)
        {
            try
            {
                await api.SetStatusAsync(t.Id, ThreadStatus.Closed, ct).ConfigureAwait(false);
                await api.DeleteCommentAsync(t.Id, t.FirstCommentId!.Value, ct).ConfigureAwait(false);
                n++;
            }
            catch (AzureDevOpsApiException ex) when (ex.Status == System.Net.HttpStatusCode.NotFound)
            {
                // The other run retired it first: the outcome we wanted.
            }
        }

        return n;
    }
}
