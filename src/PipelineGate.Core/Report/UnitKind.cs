namespace PipelineGate.Report;

/// <summary>How a check's unit is formatted.</summary>
internal enum UnitKind
{
    Other,
    Time,
    Bytes,
    Count,
    Fraction,
    Rate,
}
