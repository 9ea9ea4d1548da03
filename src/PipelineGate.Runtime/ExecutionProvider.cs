namespace PipelineGate.Runtime;

/// <summary>Where a session runs.</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
    TensorRT,
}
