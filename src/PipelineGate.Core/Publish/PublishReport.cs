using PipelineGate.Diagnostics;

namespace PipelineGate.Publish;

/// <summary>What a publisher did, and every coded problem it met (PG5xxx), in order.</summary>
public sealed class PublishReport
{
    private readonly List<Diagnostic> _diagnostics = [];

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>The sticky comment's id once it was created or updated.</summary>
    public long? CommentId { get; set; }

    /// <summary>True when the comment was created in this run (false when an existing one was updated).</summary>
    public bool CommentCreated { get; set; }

    /// <summary>Marked comments deleted because a concurrent run created one too (the oldest wins).</summary>
    public int DuplicatesDeleted { get; set; }

    public long? CheckRunId { get; set; }

    /// <summary>Annotations printed as workflow commands (when the check run could not carry them).</summary>
    public int AnnotationsPrinted { get; set; }

    public bool SummaryWritten { get; set; }

    /// <summary>True when an error (not a notice) was met: a refused token, an outage after retries.</summary>
    public bool HasErrors => _diagnostics.Any(static d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The first error's code, which decides the publish command's exit code.</summary>
    public PgCode? FirstError => _diagnostics.FirstOrDefault(static d => d.Severity == DiagnosticSeverity.Error)?.Code;

    public void Add(Diagnostic diagnostic) => _diagnostics.Add(diagnostic);
}
