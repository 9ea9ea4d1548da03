using PipelineGate.Gate.Results;
using PipelineGate.Report;

namespace PipelineGate.Publish;

/// <summary>What to publish, for which gate, and how loudly.</summary>
public sealed record PublishRequest
{
    public required GateResult Result { get; init; }

    public required GateKey Key { get; init; }

    public CommentMode Comment { get; init; } = CommentMode.OnFailure;

    /// <summary>The policy the job's exit code follows; the check run's conclusion follows the same one.</summary>
    public FailOn FailOn { get; init; } = FailOn.Fail;

    /// <summary>The pull request to comment on; read from the CI environment when null.</summary>
    public long? PullRequest { get; init; }

    /// <summary>The reproduce command and artifact name shown in the comment's footer.</summary>
    public ReportOptions Report { get; init; } = ReportOptions.Default;

    /// <summary>The checkout root, for annotation paths (GitHub wants them relative to it, with '/').</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>The folder holding report.md and junit.xml, for doors that attach files to the run (Azure DevOps).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Whether the verdict fails the job under <see cref="FailOn"/>.</summary>
    public bool Fails => ExitPolicy.Fails(Result.Summary, FailOn);
}
