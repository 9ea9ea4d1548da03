using System.Globalization;

namespace PipelineGate.Publish.AzureDevOps;

/// <summary>
/// Where an Azure Pipelines job publishes: the collection, project and repository, the pull request
/// (only PR builds triggered by a branch policy have one), the commit and the token. Read once from the
/// predefined variables through the <see cref="CiEnvironment"/>, so tests pass a dictionary.
/// </summary>
public sealed record AzureDevOpsContext
{
    /// <summary>The variable the token is read from; the agent sets it only when a step maps it.</summary>
    public const string TokenVariable = "SYSTEM_ACCESSTOKEN";

    /// <summary>The step mapping that makes the job's token visible to PipelineGate, quoted in every notice about it.</summary>
    public const string TokenMapping = "env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)";

    /// <summary>The permission of the build identity every refusal names.</summary>
    public const string Permission = "Contribute to pull requests";

    /// <summary>SYSTEM_COLLECTIONURI, always ending with '/': https://dev.azure.com/org/.</summary>
    public required Uri CollectionUri { get; init; }

    public required string Project { get; init; }

    public required string RepositoryId { get; init; }

    public string? BuildReason { get; init; }

    public long? PullRequest { get; init; }

    public bool IsFork { get; init; }

    public string? Token { get; init; }

    public string? SourceVersion { get; init; }

    /// <summary>The pull request and repository as messages name them.</summary>
    public string Where => PullRequest is { } pr
        ? string.Create(CultureInfo.InvariantCulture, $"pull request #{pr} of repository {RepositoryId} in {CollectionUri}{Project}")
        : $"repository {RepositoryId} in {CollectionUri}{Project}";

    /// <summary>The context, or null when the collection, project or repository is unknown (not an Azure Pipelines job).</summary>
    public static AzureDevOpsContext? Read(CiEnvironment env, long? pullRequest = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        var collection = env.Get("SYSTEM_COLLECTIONURI");
        var project = env.Get("SYSTEM_TEAMPROJECT");
        var repository = env.Get("BUILD_REPOSITORY_ID");
        if (collection is null || project is null || repository is null
            || !Uri.TryCreate(collection.EndsWith('/') ? collection : collection + "/", UriKind.Absolute, out var uri))
        {
            return null;
        }

        var reason = env.Get("BUILD_REASON");
        return new AzureDevOpsContext
        {
            CollectionUri = uri,
            Project = project,
            RepositoryId = repository,
            BuildReason = reason,
            PullRequest = pullRequest ?? PullRequestId(env.Get("SYSTEM_PULLREQUEST_PULLREQUESTID")),
            IsFork = string.Equals(env.Get("SYSTEM_PULLREQUEST_ISFORK"), "true", StringComparison.OrdinalIgnoreCase),
            Token = env.Get(TokenVariable),
            SourceVersion = env.Get("BUILD_SOURCEVERSION"),
        };
    }

    internal static long? PullRequestId(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
