namespace PipelineGate.Gate.Config;

/// <summary>Where something was written in pipelinegate.yml (1-based line and column), for clickable diagnostics.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}({Line},{Column})";
}
