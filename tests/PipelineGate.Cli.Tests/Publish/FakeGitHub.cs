using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PipelineGate.Cli.Tests.Publish;

/// <summary>
/// A GitHub on 127.0.0.1 that speaks the REST and GraphQL contracts the publisher uses: issue comments
/// (paginated with Link headers, created/updated/deleted), check runs (annotations appended by PATCH),
/// GraphQL viewer, bearer tokens (a write token, a read-only one answered like GitHub answers a fork's
/// token), and injected faults (status, body, headers) for the error contracts.
/// </summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    public const string Owner = "acme";
    public const string Repo = "app";
    public const string WriteToken = "ghs_FAKEwriteTOKEN0123456789abcdefXYZ";
    public const string ReadOnlyToken = "ghs_FAKEreadONLY0123456789abcdefXYZ";
    public const string BotLogin = "github-actions[bot]";

    private readonly WebApplication _app;
    private long _nextId = 1000;

    public FakeGitHub()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(Handle);
        _app.StartAsync().GetAwaiter().GetResult();
        ApiUrl = new Uri(_app.Urls.First() + "/");
    }

    public Uri ApiUrl { get; }

    public ConcurrentDictionary<long, JsonObject> Comments { get; } = new();

    public ConcurrentQueue<JsonObject> CheckRuns { get; } = new();

    /// <summary>Annotations received per check-run request, in order (create, then each PATCH).</summary>
    public ConcurrentQueue<int> AnnotationBatches { get; } = new();

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Faults served before the normal answer, first match first; each has a remaining count.</summary>
    public ConcurrentQueue<Fault> Faults { get; } = new();

    /// <summary>GitHub serves at most 100 per page; a smaller cap makes pagination visible with few comments.</summary>
    public int MaxPageSize { get; set; } = 100;

    public bool ChecksWritable { get; set; } = true;

    /// <summary>When set, the first N comment listings wait until N have arrived (two runs racing).</summary>
    public CountdownEvent? ListingRendezvous { get; set; }

    public sealed class Fault(string method, string pathContains, int status, string body, int times = 1, IReadOnlyDictionary<string, string>? headers = null)
    {
        public string Method => method;
        public string PathContains => pathContains;
        public int Status => status;
        public string Body => body;
        public IReadOnlyDictionary<string, string> Headers { get; } = headers ?? new Dictionary<string, string>();
        public int Remaining { get; set; } = times;
    }

    public long AddComment(string login, string body)
    {
        var id = Interlocked.Increment(ref _nextId);
        Comments[id] = Comment(id, login, body);
        return id;
    }

    public IReadOnlyList<JsonObject> CommentsBy(string login) =>
        [.. Comments.Values.Where(c => (string?)c["user"]!["login"] == login).OrderBy(static c => (long)c["id"]!)];

    public int Count(string method, string pathContains) =>
        Requests.Count(r => r.StartsWith(method + " ", StringComparison.Ordinal) && r.Contains(pathContains, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task Handle(HttpContext http)
    {
        var method = http.Request.Method;
        var path = http.Request.Path.Value ?? "/";
        Requests.Enqueue($"{method} {path}{http.Request.QueryString}");
        var token = http.Request.Headers.Authorization.ToString() is var auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : null;
        if (token is not (WriteToken or ReadOnlyToken))
        {
            await Json(http, 401, new JsonObject { ["message"] = "Bad credentials", ["documentation_url"] = "https://docs.github.com/rest" });
            return;
        }

        if (TakeFault(method, path) is { } fault)
        {
            foreach (var (k, v) in fault.Headers)
            {
                http.Response.Headers[k] = v;
            }

            http.Response.StatusCode = fault.Status;
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(fault.Body);
            return;
        }

        if (method == "POST" && path == "/graphql")
        {
            await Json(http, 200, new JsonObject { ["data"] = new JsonObject { ["viewer"] = new JsonObject { ["login"] = "github-actions" } } });
            return;
        }

        if (method != "GET" && (token == ReadOnlyToken || (!ChecksWritable && path.Contains("/check-runs", StringComparison.Ordinal))))
        {
            await Json(http, 403, new JsonObject { ["message"] = "Resource not accessible by integration", ["documentation_url"] = "https://docs.github.com/rest" });
            return;
        }

        var parts = path.Trim('/').Split('/');
        if (parts is ["repos", Owner, Repo, "issues", var n, "comments"] && long.TryParse(n, CultureInfo.InvariantCulture, out _))
        {
            if (method == "GET")
            {
                await ListComments(http, path);
            }
            else
            {
                var body = await ReadBody(http);
                var id = AddComment(BotLogin, (string)body["body"]!);
                await Json(http, 201, Comments[id]);
            }

            return;
        }

        if (parts is ["repos", Owner, Repo, "issues", "comments", var idText] && long.TryParse(idText, CultureInfo.InvariantCulture, out var commentId))
        {
            if (!Comments.TryGetValue(commentId, out var existing))
            {
                await Json(http, 404, new JsonObject { ["message"] = "Not Found" });
            }
            else if (method == "DELETE")
            {
                Comments.TryRemove(commentId, out _);
                http.Response.StatusCode = 204;
            }
            else
            {
                var body = await ReadBody(http);
                existing["body"] = (string)body["body"]!;
                await Json(http, 200, existing);
            }

            return;
        }

        if (parts is ["repos", Owner, Repo, "check-runs", ..])
        {
            var body = await ReadBody(http);
            AnnotationBatches.Enqueue(body["output"]?["annotations"]?.AsArray().Count ?? 0);
            var run = method == "POST" ? body : CheckRuns.First(r => (long)r["id"]! == long.Parse(parts[^1], CultureInfo.InvariantCulture));
            if (method == "POST")
            {
                run["id"] = Interlocked.Increment(ref _nextId);
                CheckRuns.Enqueue(run);
            }

            await Json(http, method == "POST" ? 201 : 200, JsonNode.Parse(run.ToJsonString())!.AsObject());
            return;
        }

        await Json(http, 404, new JsonObject { ["message"] = "Not Found" });
    }

    private async Task ListComments(HttpContext http, string path)
    {
        // The snapshot is taken before the rendezvous: once the last listing signals, the first run may
        // create its comment before the last one's continuation runs, and a snapshot taken after the
        // wait would see it (the flake CI met on a loaded 2-core runner).
        var all = Comments.Values.OrderBy(static c => (long)c["id"]!).ToList();
        if (ListingRendezvous is { } rendezvous && !rendezvous.IsSet)
        {
            rendezvous.Signal();
            await Task.Run(() => rendezvous.Wait(TimeSpan.FromSeconds(20)));
        }

        var q = http.Request.Query;
        var perPage = Math.Min(MaxPageSize, q.TryGetValue("per_page", out var pp) ? int.Parse(pp!, CultureInfo.InvariantCulture) : 30);
        var page = q.TryGetValue("page", out var pg) ? int.Parse(pg!, CultureInfo.InvariantCulture) : 1;
        var pages = Math.Max(1, (all.Count + perPage - 1) / perPage);
        if (page < pages)
        {
            var next = new Uri(ApiUrl, path.TrimStart('/') + $"?per_page={perPage}&page={page + 1}");
            var last = new Uri(ApiUrl, path.TrimStart('/') + $"?per_page={perPage}&page={pages}");
            http.Response.Headers["Link"] = $"<{next}>; rel=\"next\", <{last}>; rel=\"last\"";
        }

        var array = new JsonArray([.. all.Skip((page - 1) * perPage).Take(perPage).Select(static c => (JsonNode)JsonNode.Parse(c.ToJsonString())!)]);
        await Json(http, 200, array);
    }

    private Fault? TakeFault(string method, string path)
    {
        lock (Faults)
        {
            var f = Faults.FirstOrDefault(f => f.Remaining > 0 && f.Method == method && path.Contains(f.PathContains, StringComparison.Ordinal));
            if (f is not null)
            {
                f.Remaining--;
            }

            return f;
        }
    }

    // Creation times a second apart, in id order: "oldest" is well defined as it is on GitHub.
    private JsonObject Comment(long id, string login, string body) => new()
    {
        ["id"] = id,
        ["node_id"] = "IC_" + id.ToString(CultureInfo.InvariantCulture),
        ["url"] = new Uri(ApiUrl, $"repos/{Owner}/{Repo}/issues/comments/{id}").ToString(),
        ["html_url"] = $"https://github.test/{Owner}/{Repo}/pull/42#issuecomment-{id}",
        ["body"] = body,
        ["user"] = new JsonObject { ["login"] = login, ["id"] = login.Length, ["type"] = login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User" },
        ["created_at"] = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(id).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["updated_at"] = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(id).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["author_association"] = "NONE",
    };

    private static async Task<JsonObject> ReadBody(HttpContext http) =>
        (await JsonNode.ParseAsync(http.Request.Body))?.AsObject() ?? [];

    private static async Task Json(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
