using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PipelineGate.Tests.Publish.AzureDevOps;

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel) speaking the Azure DevOps pull-request threads contract,
/// api-version 7.1: list, create, update a comment, delete a comment, update a thread's status. It
/// demands the api-version and a Bearer token, answers 404 for another repository or pull request, and
/// can be told to fail the next calls (401, 403, 500, 429) or to hold list calls until several runs
/// have listed (to force the create race of two concurrent runs).
/// </summary>
internal sealed class FakeAzureDevOps : IAsyncDisposable
{
    public const string Organization = "org";
    public const string Project = "My Project";
    public const string Repository = "5f0d4bde-repo";
    public const long PullRequestId = 42;

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<JsonObject> _threads = [];
    private readonly ConcurrentQueue<int> _failures = new();
    private long _nextThread = 100;
    private long _nextComment = 1000;
    private int _listsToHold;
    private TaskCompletionSource _listRelease = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    private FakeAzureDevOps(WebApplication app) => _app = app;

    public string Token { get; init; } = "azdo-secret-token-0123456789";

    /// <summary>Error messages quote the Authorization header, as a careless proxy might: the client must redact it.</summary>
    public bool EchoAuthorization { get; set; }

    public string CollectionUri => _app.Urls.First() + "/" + Organization + "/";

    public ConcurrentQueue<(string Method, string Path, string? Body)> Requests { get; } = new();

    public static async Task<FakeAzureDevOps> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeAzureDevOps(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    /// <summary>The next <paramref name="count"/> calls answer <paramref name="status"/>.</summary>
    public void FailNext(int status, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _failures.Enqueue(status);
        }
    }

    /// <summary>The next <paramref name="runs"/> list calls wait for each other, so every run lists before any creates.</summary>
    public void HoldListsUntil(int runs)
    {
        _listsToHold = runs;
        _held = 0;
        _listRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A thread a person wrote in the web UI: no key property, whatever its text says.</summary>
    public long AddPersonThread(string content) => AddThread(content, key: null, "active", author: "jane@example.com");

    public long AddThread(string content, string? key, string status, string author = "Project Collection Build Service")
    {
        lock (_lock)
        {
            var thread = NewThread(content, status, key is null ? new JsonObject() : new JsonObject { ["PipelineGate.GateKey"] = new JsonObject { ["$type"] = "System.String", ["$value"] = key } }, author);
            _threads.Add(thread);
            return (long)thread["id"]!;
        }
    }

    public IReadOnlyList<JsonObject> Threads()
    {
        lock (_lock)
        {
            return [.. _threads.Select(static t => (JsonObject)t.DeepClone())];
        }
    }

    public IReadOnlyList<JsonObject> LiveThreadsWithKey(string key) =>
        [.. Threads().Where(t => KeyOf(t) == key && !(bool)t["comments"]![0]!["isDeleted"]!)];

    public static string? KeyOf(JsonObject t) => t["properties"]?["PipelineGate.GateKey"]?["$value"]?.GetValue<string>();

    public async ValueTask DisposeAsync()
    {
        _listRelease.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var body = http.Request.ContentLength > 0 || http.Request.Headers.ContentType.Count > 0
            ? await new StreamReader(http.Request.Body).ReadToEndAsync()
            : null;
        Requests.Enqueue((http.Request.Method, http.Request.Path.Value!, body));
        if (http.Request.Query["api-version"] != "7.1")
        {
            await Answer(http, 400, Error("The api-version query parameter (7.1) is required."));
            return;
        }

        if (http.Request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            await Answer(http, 401, null); // Azure DevOps answers 401 with an HTML sign-in page; no JSON
            return;
        }

        if (_failures.TryDequeue(out var failure))
        {
            if (failure == 429)
            {
                http.Response.Headers.RetryAfter = "1";
            }

            var echo = EchoAuthorization ? " (" + http.Request.Headers.Authorization + ")" : string.Empty;
            await Answer(http, failure, Error($"Injected failure {failure.ToString(CultureInfo.InvariantCulture)}{echo}."));
            return;
        }

        var prefix = $"/{Organization}/{Project}/_apis/git/repositories/";
        var path = Uri.UnescapeDataString(http.Request.Path.Value!);
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            await Answer(http, 404, Error("Project not found."));
            return;
        }

        var parts = path[prefix.Length..].Split('/');
        // {repo}/pullRequests/{id}/threads[/{t}[/comments/{c}]]
        if (parts.Length < 4 || parts[0] != Repository || parts[1] != "pullRequests" || parts[2] != PullRequestId.ToString(CultureInfo.InvariantCulture) || parts[3] != "threads")
        {
            await Answer(http, 404, Error($"TF401180: The requested pull request was not found ({path})."));
            return;
        }

        var method = http.Request.Method;
        var (status, answer) = (parts.Length, method) switch
        {
            (4, "GET") => await ListAsync(),
            (4, "POST") => Create(JsonNode.Parse(body!)!.AsObject()),
            (5, "PATCH") => SetStatus(Id(parts[4]), JsonNode.Parse(body!)!.AsObject()),
            (7, "PATCH") when parts[5] == "comments" => UpdateComment(Id(parts[4]), Id(parts[6]), JsonNode.Parse(body!)!.AsObject()),
            (7, "DELETE") when parts[5] == "comments" => DeleteComment(Id(parts[4]), Id(parts[6])),
            _ => (405, Error("Method not allowed.")),
        };
        await Answer(http, status, answer);
    }

    private async Task<(int, JsonNode?)> ListAsync()
    {
        // Snapshot first, then hold: a held listing answers with what it saw when it arrived, so a run
        // released early cannot create a thread that a late continuation would then list.
        JsonObject snapshot;
        lock (_lock)
        {
            snapshot = new JsonObject { ["value"] = new JsonArray([.. _threads.Select(static t => t.DeepClone())]), ["count"] = _threads.Count };
        }

        if (_listsToHold > 0)
        {
            var release = _listRelease;
            if (Interlocked.Increment(ref _held) >= _listsToHold)
            {
                _listsToHold = 0;
                release.TrySetResult();
            }

            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        return (200, snapshot);
    }

    private (int, JsonNode?) Create(JsonObject request)
    {
        var comment = request["comments"]?[0];
        if (comment?["content"]?.GetValue<string>() is not { } content || comment["parentCommentId"]?.GetValue<int>() != 0)
        {
            return (400, Error("A thread needs one top-level comment."));
        }

        var status = StatusName(request["status"]);
        if (status is null)
        {
            return (400, Error("Unknown thread status."));
        }

        lock (_lock)
        {
            var thread = NewThread(content, status, request["properties"]?.DeepClone().AsObject() ?? new JsonObject(), "Project Collection Build Service");
            _threads.Add(thread);
            return (200, thread.DeepClone());
        }
    }

    private (int, JsonNode?) SetStatus(long id, JsonObject request)
    {
        lock (_lock)
        {
            if (Find(id) is not { } t)
            {
                return (404, Error("Thread not found."));
            }

            t["status"] = StatusName(request["status"]) ?? throw new InvalidOperationException("bad status");
            return (200, t.DeepClone());
        }
    }

    private (int, JsonNode?) UpdateComment(long thread, long comment, JsonObject request)
    {
        lock (_lock)
        {
            if (Find(thread)?["comments"]!.AsArray().FirstOrDefault(c => (long)c!["id"]! == comment) is not JsonObject c || (bool)c["isDeleted"]!)
            {
                return (404, Error("Comment not found."));
            }

            c["content"] = request["content"]!.GetValue<string>();
            return (200, c.DeepClone());
        }
    }

    private (int, JsonNode?) DeleteComment(long thread, long comment)
    {
        lock (_lock)
        {
            if (Find(thread)?["comments"]!.AsArray().FirstOrDefault(c => (long)c!["id"]! == comment) is not JsonObject c || (bool)c["isDeleted"]!)
            {
                return (404, Error("Comment not found."));
            }

            c["isDeleted"] = true;
            c["content"] = "";
            return (200, null);
        }
    }

    private JsonObject NewThread(string content, string status, JsonObject properties, string author) => new()
    {
        ["id"] = ++_nextThread,
        ["status"] = status,
        ["isDeleted"] = false,
        ["properties"] = properties,
        ["comments"] = new JsonArray(new JsonObject
        {
            ["id"] = ++_nextComment, ["parentCommentId"] = 0, ["content"] = content, ["commentType"] = "text", ["isDeleted"] = false,
            ["author"] = new JsonObject { ["uniqueName"] = author },
        }),
    };

    private JsonObject? Find(long id) => _threads.FirstOrDefault(t => (long)t["id"]! == id);

    private static string? StatusName(JsonNode? status) => status?.GetValueKind() switch
    {
        JsonValueKind.Number => status.GetValue<int>() switch { 1 => "active", 2 => "fixed", 4 => "closed", _ => null },
        JsonValueKind.String => status.GetValue<string>() is "active" or "fixed" or "closed" or "wontFix" or "byDesign" or "pending" ? status.GetValue<string>() : null,
        _ => null,
    };

    private static long Id(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    private static JsonObject Error(string message) => new() { ["message"] = message, ["typeKey"] = "InvalidArgumentValueException" };

    private static async Task Answer(HttpContext http, int status, JsonNode? body)
    {
        http.Response.StatusCode = status;
        if (body is not null)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.WriteAsync(body.ToJsonString());
        }
    }
}
