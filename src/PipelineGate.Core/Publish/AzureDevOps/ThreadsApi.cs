using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PipelineGate.Publish.AzureDevOps;

/// <summary>
/// The pull-request threads endpoints (api-version 7.1) over HttpClient with a Bearer token:
/// list, create, update a comment, delete a comment, set a thread's status. Every call goes through
/// <see cref="AzureDevOpsRetry"/>; a refusal comes back as <see cref="AzureDevOpsApiException"/>.
/// </summary>
internal sealed class ThreadsApi(HttpClient http, AzureDevOpsContext ctx, AzureDevOpsRetry retry)
{
    public const string ApiVersion = "7.1";

    private const int TextComment = 1;

    public Task<IReadOnlyList<PullRequestThread>> ListAsync(CancellationToken ct) =>
        retry.Run(async () => PullRequestThread.ParseList(await SendAsync(HttpMethod.Get, Threads(), null, ct).ConfigureAwait(false)), ct);

    public Task<PullRequestThread> CreateAsync(string content, string status, GateKey key, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["comments"] = new JsonArray(new JsonObject { ["parentCommentId"] = 0, ["content"] = content, ["commentType"] = TextComment }),
            ["status"] = status,
            ["properties"] = new JsonObject
            {
                [PullRequestThread.KeyProperty] = new JsonObject { ["$type"] = "System.String", ["$value"] = key.Value },
            },
        };
        return retry.Run(async () =>
        {
            using var doc = JsonDocument.Parse(await SendAsync(HttpMethod.Post, Threads(), body, ct).ConfigureAwait(false));
            return PullRequestThread.Parse(doc.RootElement);
        }, ct);
    }

    public Task UpdateCommentAsync(long thread, long comment, string content, CancellationToken ct) =>
        retry.Run(() => SendAsync(HttpMethod.Patch, Threads($"/{Id(thread)}/comments/{Id(comment)}"), new JsonObject { ["content"] = content }, ct), ct);

    public Task DeleteCommentAsync(long thread, long comment, CancellationToken ct) =>
        retry.Run(() => SendAsync(HttpMethod.Delete, Threads($"/{Id(thread)}/comments/{Id(comment)}"), null, ct), ct);

    public Task SetStatusAsync(long thread, string status, CancellationToken ct) =>
        retry.Run(() => SendAsync(HttpMethod.Patch, Threads("/" + Id(thread)), new JsonObject { ["status"] = status }, ct), ct);

    private Uri Threads(string rest = "") => new(ctx.CollectionUri,
        $"{Uri.EscapeDataString(ctx.Project)}/_apis/git/repositories/{Uri.EscapeDataString(ctx.RepositoryId)}/pullRequests/{Id(ctx.PullRequest!.Value)}/threads{rest}?api-version={ApiVersion}");

    private async Task<string> SendAsync(HttpMethod method, Uri uri, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ctx.Token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("PipelineGate", null));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new AzureDevOpsApiException(response.StatusCode, ServerMessage(text), RetryAfter(response));
        }

        return text;
    }

    private static string? ServerMessage(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                ? m.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null; // an HTML error page from a proxy says nothing useful
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } at ? at - DateTimeOffset.UtcNow : null);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
