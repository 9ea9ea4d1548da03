namespace PipelineGate.Gate;

/// <summary>What the gate is doing now, for progress displays.</summary>
public sealed record GateProgress(string Model, string Variant, string Phase, double Fraction);
