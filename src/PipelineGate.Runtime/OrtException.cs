using PipelineGate.Diagnostics;

namespace PipelineGate.Runtime;

/// <summary>An ONNX Runtime call that failed: a PG3xxx diagnostic carrying ORT's own error code.</summary>
public sealed class OrtException : PipelineGateException
{
    public OrtException(Diagnostic diagnostic, OrtErrorCode ortCode, Exception? innerException = null)
        : base(diagnostic, innerException)
    {
        OrtCode = ortCode;
    }

    public OrtException()
        : this(new Diagnostic(PgCode.RunFailed, DiagnosticSeverity.Error, "ONNX Runtime call failed."), OrtErrorCode.Fail)
    {
    }

    public OrtException(string message)
        : this(new Diagnostic(PgCode.RunFailed, DiagnosticSeverity.Error, message), OrtErrorCode.Fail)
    {
    }

    public OrtException(string message, Exception innerException)
        : base(PgCode.RunFailed, message, inner: innerException)
    {
        OrtCode = OrtErrorCode.Fail;
    }

    public OrtErrorCode OrtCode { get; }
}
