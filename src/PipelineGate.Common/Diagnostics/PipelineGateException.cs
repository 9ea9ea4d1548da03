namespace PipelineGate.Diagnostics;

/// <summary>
/// A user's mistake or an environment problem that stops the current operation, carrying its coded
/// <see cref="Diagnostic"/>. The CLI prints the diagnostic (never a stack trace) and exits with 2 for
/// PG1xxx/PG2xxx and 3 for PG3xxx. Bugs are not wrapped in this type.
/// </summary>
public class PipelineGateException : Exception
{
    public PipelineGateException(Diagnostic diagnostic, Exception? inner = null)
        : base(diagnostic.ToString(), inner)
    {
        Diagnostic = diagnostic;
    }

    public PipelineGateException(PgCode code, string message, string? file = null, int? line = null, int? column = null, string? hint = null, Exception? inner = null)
        : this(new Diagnostic(code, DiagnosticSeverity.Error, message, file, line, column, hint), inner)
    {
    }

    public PipelineGateException()
        : this(PgCode.UsageInvalidArgument, "Unspecified PipelineGate error.")
    {
    }

    public PipelineGateException(string message)
        : this(PgCode.UsageInvalidArgument, message)
    {
    }

    public PipelineGateException(string message, Exception innerException)
        : this(PgCode.UsageInvalidArgument, message, inner: innerException)
    {
    }

    public Diagnostic Diagnostic { get; }

    public PgCode Code => Diagnostic.Code;
}
