namespace PipelineGate.Measure.Environment;

/// <summary>One GPU as nvidia-smi lists it.</summary>
/// <param name="Name">The product name (NVIDIA L4).</param>
/// <param name="DriverVersion">The driver's version (570.86.15).</param>
/// <param name="MemoryTotal">Memory as nvidia-smi prints it (23034 MiB).</param>
/// <param name="MemoryBytes">The same in bytes; null when nvidia-smi printed something else ([N/A]).</param>
public sealed record GpuDevice(string Name, string DriverVersion, string MemoryTotal, long? MemoryBytes);
