namespace PipelineGate.Init;

/// <summary>The CI systems init writes a pipeline for.</summary>
public enum CiSystem
{
    None,
    GitHub,
    AzureDevOps,
}

/// <summary>
/// The CI file init writes beside the config: a GitHub workflow that uses the PipelineGate Action, or an Azure
/// pipeline that uses this repository's templates/azure-pipelines/steps.yml, both running the gate with
/// <c>--profile pr</c> on pull requests, and the MSBuild package reference init prints.
/// </summary>
public static class CiSnippet
{
    public const string GitHubPath = ".github/workflows/pipelinegate.yml";

    public const string AzurePath = "pipelinegate.azure-pipelines.yml";

    /// <summary>GitHub when the repository has a .github folder, Azure DevOps when it has an Azure pipeline, else none.</summary>
    public static CiSystem Detect(string root)
    {
        if (Directory.Exists(Path.Combine(root, ".github")))
        {
            return CiSystem.GitHub;
        }

        return File.Exists(Path.Combine(root, "azure-pipelines.yml")) || Directory.Exists(Path.Combine(root, ".azuredevops")) || Directory.Exists(Path.Combine(root, ".azure-pipelines"))
            ? CiSystem.AzureDevOps
            : CiSystem.None;
    }

    public static string? PathFor(CiSystem system) => system switch
    {
        CiSystem.GitHub => GitHubPath,
        CiSystem.AzureDevOps => AzurePath,
        _ => null,
    };

    public static string PackageReference(string version) => $"<PackageReference Include=\"PipelineGate.MSBuild\" Version=\"{version}\" />";

    public static string Text(CiSystem system, string version) => system switch
    {
        CiSystem.GitHub => $$$"""
            # Written by 'pipelinegate init': the PipelineGate gate on pull requests (docs/github.md).
            # Pull requests from forks need the two-workflow recipe in templates/github/.
            name: pipelinegate
            on:
              pull_request:
                paths: ["**/*.onnx", "pipelinegate.yml"]
            permissions:
              contents: read
              pull-requests: write   # the sticky comment
              checks: write          # the check run with annotations on pipelinegate.yml
            concurrency:
              group: pipelinegate-${{ github.event.pull_request.number }}
              cancel-in-progress: true
            jobs:
              gate:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v5
                    with:
                      fetch-depth: 0    # the baseline is the merge base with the target branch
                      lfs: true         # models in Git LFS must be pulled (else PG2004)
                  - uses: pipelinegate/pipelinegate/.github/actions/pipelinegate@v1
                    with:
                      profile: pr
                      comment: on-failure
                      fail-on: fail
                      version: "{{{version}}}"

            """,
        CiSystem.AzureDevOps => $$$"""
            # Written by 'pipelinegate init': the PipelineGate gate on pull requests (docs/azure-devops.md).
            # Add it as a pipeline and as a build-validation policy of the target branch; give the build
            # service "Contribute to pull requests" so it can write the thread.
            trigger: none
            pr:
              paths:
                include: ["*.onnx", "pipelinegate.yml"]
            resources:
              repositories:
                - repository: pg
                  type: github
                  name: pipelinegate/pipelinegate
                  ref: refs/tags/v1
                  endpoint: github   # a GitHub service connection
            pool:
              vmImage: ubuntu-latest
            steps:
              - checkout: self
                fetchDepth: 0        # the baseline is the merge base with the target branch
                lfs: true
              - template: templates/azure-pipelines/steps.yml@pg
                parameters:
                  profile: pr
                  version: "{{{version}}}"

            """,
        _ => string.Empty,
    };
}
