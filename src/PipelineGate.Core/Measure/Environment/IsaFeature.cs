namespace PipelineGate.Measure.Environment;

/// <summary>An instruction-set extension: its usual name (AVX-512 VNNI), its /proc/cpuinfo flag (avx512_vnni), and whether this CPU has it.</summary>
public sealed record IsaFeature(string Name, string Flag, bool Present);
