namespace PipelineGate.Publish;

/// <summary>When the sticky pull-request comment is written (<c>--comment</c>).</summary>
public enum CommentMode
{
    /// <summary>Create or update the comment on every run.</summary>
    Always,

    /// <summary>
    /// Create it only when a budget failed or warned; a comment that already exists is always updated, so
    /// a fixed regression never leaves a stale red comment behind. The default.
    /// </summary>
    OnFailure,

    /// <summary>No comment at all (the check run, annotations and job summary still go out).</summary>
    Never,
}
