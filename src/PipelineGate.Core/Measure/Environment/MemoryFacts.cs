namespace PipelineGate.Measure.Environment;

/// <summary>The machine's memory.</summary>
/// <param name="TotalBytes">Physical memory (/proc/meminfo MemTotal; elsewhere what .NET reports).</param>
/// <param name="LimitBytes">What .NET may use: the physical memory, or a container's limit when that is lower.</param>
public sealed record MemoryFacts(long TotalBytes, long LimitBytes);
