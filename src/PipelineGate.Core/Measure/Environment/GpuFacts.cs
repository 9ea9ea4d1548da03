namespace PipelineGate.Measure.Environment;

/// <summary>The NVIDIA GPUs and driver, as far as nvidia-smi tells.</summary>
/// <param name="Status">Whether nvidia-smi was found and answered.</param>
/// <param name="Detail">In words: the devices found, "no nvidia-smi", or how nvidia-smi failed.</param>
/// <param name="Devices">The GPUs; empty unless <paramref name="Status"/> is Ok.</param>
public sealed record GpuFacts(GpuQueryStatus Status, string Detail, IReadOnlyList<GpuDevice> Devices);
