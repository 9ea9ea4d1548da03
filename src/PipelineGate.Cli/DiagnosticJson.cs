using PipelineGate.Diagnostics;

namespace PipelineGate.Cli;

/// <summary>A diagnostic as it appears in JSON outputs (the MSBuild task reads this shape).</summary>
internal sealed record DiagnosticJson(string Code, string Severity, string Message, string? File, int? Line, int? Column, string? Hint)
{
    public static DiagnosticJson From(Diagnostic d) =>
        new(d.CodeText, d.Severity.ToString().ToLowerInvariant(), d.Message, d.File, d.Line, d.Column, d.Hint);
}
