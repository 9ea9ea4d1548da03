namespace PipelineGate.Publish;

/// <summary>
/// The one reader of CI environment variables. Everything that depends on where the job runs asks
/// this class, so tests pass a dictionary instead of mutating the process environment.
/// </summary>
public sealed class CiEnvironment(Func<string, string?> read)
{
    public static CiEnvironment FromProcess() => new(Environment.GetEnvironmentVariable);

    public static CiEnvironment From(IReadOnlyDictionary<string, string> values) =>
        new(name => values.TryGetValue(name, out var v) ? v : null);

    /// <summary>The variable's value, or null when it is unset or empty (CI systems set empty values freely).</summary>
    public string? Get(string name) => read(name) is { Length: > 0 } value ? value : null;

    public bool IsGitHubActions => string.Equals(Get("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Azure Pipelines sets TF_BUILD=True on every agent.</summary>
    public bool IsAzurePipelines => string.Equals(Get("TF_BUILD"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The concrete target of <paramref name="mode"/>: auto becomes the CI system detected, or none.</summary>
    public PublishMode Resolve(PublishMode mode) => mode switch
    {
        PublishMode.Auto when IsGitHubActions => PublishMode.GitHub,
        PublishMode.Auto when IsAzurePipelines => PublishMode.AzureDevOps,
        PublishMode.Auto => PublishMode.None,
        _ => mode,
    };

    /// <summary>The checkout folder: GITHUB_WORKSPACE or BUILD_SOURCESDIRECTORY when set.</summary>
    public string? Workspace => Get("GITHUB_WORKSPACE") ?? Get("BUILD_SOURCESDIRECTORY");
}
