namespace PipelineGate.Measure.Environment;

/// <summary>The processor as the doctor reports it.</summary>
/// <param name="Model">The CPU model name (as in the runner fingerprint).</param>
/// <param name="Architecture">Process architecture, lower case (x64, arm64).</param>
/// <param name="LogicalCores">Logical processors available to this process.</param>
/// <param name="IsaFlags">The kernel-relevant extensions present, as in the runner fingerprint.</param>
/// <param name="Int8">The int8-relevant extensions, each with whether it is present.</param>
public sealed record CpuFacts(string Model, string Architecture, int LogicalCores, IReadOnlyList<string> IsaFlags, IReadOnlyList<IsaFeature> Int8);
