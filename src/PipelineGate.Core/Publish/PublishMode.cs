namespace PipelineGate.Publish;

/// <summary>Where a gate run's verdict goes besides the files in the output folder (<c>--publish</c>).</summary>
public enum PublishMode
{
    /// <summary>Nowhere: only the files (the default, so a local run never talks to a CI system).</summary>
    None,

    /// <summary>The CI system this job runs on, read from the environment (GITHUB_ACTIONS, TF_BUILD); none elsewhere.</summary>
    Auto,

    GitHub,

    AzureDevOps,
}
