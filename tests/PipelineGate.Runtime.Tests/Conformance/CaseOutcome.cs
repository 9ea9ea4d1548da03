namespace PipelineGate.Runtime.Tests.Conformance;

public enum OutcomeKind
{
    Pass,
    Fail,
    Skip,
}

/// <summary>Result of one ONNX backend test case (all of its data sets).</summary>
public sealed record CaseOutcome(string Name, OutcomeKind Kind, string Detail, int DataSets);
