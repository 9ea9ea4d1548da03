namespace PipelineGate.Diagnostics;

public enum DiagnosticSeverity
{
    Info,
    Warning,
    Error,
}
