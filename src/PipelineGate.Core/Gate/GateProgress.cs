namespace PipelineGate.Gate;

/// <summary>
/// What the gate is doing now, for progress displays. <paramref name="Detail"/> is a step's own message
/// within the phase (a build's "calibrated 12 tensors on 200 samples", a fallback search's step).
/// </summary>
public sealed record GateProgress(string Model, string Variant, string Phase, double Fraction, string? Detail = null);
