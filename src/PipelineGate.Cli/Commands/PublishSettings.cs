using PipelineGate.Publish;

namespace PipelineGate.Cli.Commands;

/// <summary>The parsed publishing options; the defaults are a local run's (publish nothing, fail on a failed budget).</summary>
internal sealed record PublishSettings(PublishMode Mode, CommentMode Comment, FailOn FailOn, long? PullRequest)
{
    public static PublishSettings Default { get; } = new(PublishMode.None, CommentMode.OnFailure, FailOn.Fail, null);
}
