using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PipelineGate.Publish.GitHub;

/// <summary>
/// Where a GitHub job publishes: the repository, the API, the pull request and commit, and whether the
/// token can write at all (a pull request from a fork gets a read-only GITHUB_TOKEN whatever the
/// workflow's permissions say). Read once from the environment and the event payload.
/// </summary>
public sealed partial record GitHubContext
{
    /// <summary>Where the token is read from, named in every permission message so users know what to fix.</summary>
    public const string TokenVariable = "GITHUB_TOKEN";

    public const string TokenSource = "the GITHUB_TOKEN environment variable (the Action's github-token input)";

    public required string Owner { get; init; }

    public required string Repository { get; init; }

    public required Uri ApiUrl { get; init; }

    public required Uri GraphQlUrl { get; init; }

    public string? Token { get; init; }

    public long? PullRequest { get; init; }

    /// <summary>The commit the check run belongs to: the PR's head, not the merge commit GitHub tests.</summary>
    public string? HeadSha { get; init; }

    /// <summary>True for a pull_request event whose head lives in another repository (a fork).</summary>
    public bool IsFork { get; init; }

    public string? EventName { get; init; }

    public string? SummaryPath { get; init; }

    public string FullName => Owner + "/" + Repository;

    /// <summary>The context, or null when GITHUB_REPOSITORY is missing (not running on GitHub Actions).</summary>
    public static GitHubContext? Read(CiEnvironment env, long? pullRequest = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        var repository = env.Get("GITHUB_REPOSITORY");
        if (repository?.Split('/') is not [{ Length: > 0 } owner, { Length: > 0 } name])
        {
            return null;
        }

        var api = WithSlash(env.Get("GITHUB_API_URL") ?? "https://api.github.com");
        var payload = ReadEvent(env.Get("GITHUB_EVENT_PATH"));
        var pr = payload.Get("pull_request");
        var run = payload.Get("workflow_run");
        var eventName = env.Get("GITHUB_EVENT_NAME");
        var headRepo = pr.Get("head").Get("repo");
        var isPullRequestEvent = eventName is "pull_request" or null && pr.ValueKind == JsonValueKind.Object;
        return new GitHubContext
        {
            Owner = owner,
            Repository = name,
            ApiUrl = api,
            GraphQlUrl = GraphQl(env.Get("GITHUB_GRAPHQL_URL"), api),
            Token = env.Get(TokenVariable),
            PullRequest = pullRequest ?? pr.Get("number").Long() ?? PullRequestFromRef(env.Get("GITHUB_REF")),
            HeadSha = pr.Get("head").Get("sha").String() ?? run.Get("head_sha").String() ?? env.Get("GITHUB_SHA"),
            IsFork = isPullRequestEvent && !string.Equals(headRepo.Get("full_name").String(), repository, StringComparison.OrdinalIgnoreCase),
            EventName = eventName,
            SummaryPath = env.Get("GITHUB_STEP_SUMMARY"),
        };
    }

    internal static long? PullRequestFromRef(string? gitRef) =>
        gitRef is not null && PullRef().Match(gitRef) is { Success: true } m && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    // GitHub.com serves GraphQL at /graphql beside the REST root; GitHub Enterprise at /api/graphql beside /api/v3.
    internal static Uri GraphQl(string? given, Uri api)
    {
        if (given is { Length: > 0 })
        {
            return new Uri(given);
        }

        var path = api.AbsolutePath.TrimEnd('/');
        var graph = path.EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase) ? path[..^"/v3".Length] + "/graphql" : path + "/graphql";
        return new UriBuilder(api) { Path = graph }.Uri;
    }

    // Octokit joins relative paths onto the base address, which drops its last segment without a slash (/api/v3 → /api/repos).
    private static Uri WithSlash(string url) => new(url.EndsWith('/') ? url : url + "/");

    private static Json ReadEvent(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            return default;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return new Json(doc.RootElement.Clone());
        }
        catch (JsonException)
        {
            return default; // an unreadable payload only costs us the PR number, which --pr can give
        }
    }

    [GeneratedRegex(@"^refs/pull/(\d+)/(?:merge|head)$", RegexOptions.CultureInvariant)]
    private static partial Regex PullRef();

    /// <summary>Null-tolerant navigation over the event payload: a missing property is simply absent.</summary>
    private readonly record struct Json(JsonElement Element)
    {
        public JsonValueKind ValueKind => Element.ValueKind;

        public Json Get(string name) =>
            Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var v) ? new Json(v) : default;

        public string? String() => Element.ValueKind == JsonValueKind.String ? Element.GetString() : null;

        public long? Long() => Element.ValueKind == JsonValueKind.Number && Element.TryGetInt64(out var n) ? n : null;
    }
}
