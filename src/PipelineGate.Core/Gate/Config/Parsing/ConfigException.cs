using PipelineGate.Diagnostics;

namespace PipelineGate.Gate.Config;

/// <summary>
/// Everything wrong with a pipelinegate.yml, found in one pass. <see cref="PipelineGateException.Diagnostic"/>
/// is the first (in file order); print all of <see cref="Diagnostics"/> so the user fixes them in one go.
/// </summary>
public sealed class ConfigException : PipelineGateException
{
    public ConfigException(IReadOnlyList<Diagnostic> diagnostics)
        : base(FirstOf(diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public ConfigException()
        : this("The configuration is invalid.")
    {
    }

    public ConfigException(string message)
        : this([new Diagnostic(PgCode.ConfigInvalidValue, DiagnosticSeverity.Error, message)])
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(PgCode.ConfigInvalidValue, message, inner: innerException)
    {
        Diagnostics = [Diagnostic];
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Every diagnostic, one per line, as MSBuild and editors parse them.</summary>
    public override string Message => string.Join(Environment.NewLine, Diagnostics);

    private static Diagnostic FirstOf(IReadOnlyList<Diagnostic> diagnostics) =>
        diagnostics.Count > 0 ? diagnostics[0] : throw new ArgumentException("A ConfigException needs at least one diagnostic.", nameof(diagnostics));
}
