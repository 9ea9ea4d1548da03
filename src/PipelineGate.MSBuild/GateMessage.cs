namespace PipelineGate.MSBuild;

/// <summary>How a gate message is logged: the MSBuild severity it maps to.</summary>
internal enum GateSeverity
{
    Error,
    Warning,
    Message,
}

/// <summary>
/// One message to log, from results.json or from a canonical stderr line. <see cref="Code"/> is the PG code
/// as printed ("PG4201"), or null when the CLI gave none; lines and columns are 1-based, 0 when unknown.
/// </summary>
internal sealed class GateMessage
{
    public GateMessage(GateSeverity severity, string? code, string text, string? file, int line, int column)
    {
        Severity = severity;
        Code = code;
        Text = text;
        File = file;
        Line = line;
        Column = column;
    }

    public GateSeverity Severity { get; }

    public string? Code { get; }

    public string Text { get; }

    public string? File { get; }

    public int Line { get; }

    public int Column { get; }
}
